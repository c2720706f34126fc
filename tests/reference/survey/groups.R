# Reference values for groups and categorical controls declared in a study file
# (leftbehind.survey.levels, report.pipeline.fit_tables), computed independently with base R.
#
# Run from the repository root:   Rscript tests/reference/survey/groups.R
#
# Two carData data sets, with every factor stored as numeric codes (the way an SPSS file keeps
# a labelled variable); the codes and labels are written next to the data:
#   Salaries: salary by rank (1 AsstProf, 2 AssocProf, 3 Prof; reference Prof, i.e. code 3),
#             controls factor(discipline) (1 A, 2 B) and yrs_service, moderator yrs_since_phd.
#             Five yrs_service values are blanked so the models use the complete cases.
#   Womenlf:  hincome by partic (1 fulltime, 2 not.work, 3 parttime; reference code 2),
#             controls children (0 absent, 1 present) and factor(region) (1 Atlantic ... 5 Quebec).
# Writes groups_salaries.csv, groups_womenlf.csv and groups.json (coefficients named by the
# stable term keys of leftbehind: const, the group code, C(name)[T.code], moderator, CODE_x).

suppressPackageStartupMessages({
  library(carData)
  library(jsonlite)
})

out_dir <- file.path("tests", "reference", "survey")

codes <- function(f) as.integer(factor(f, levels = levels(f)))
labels_of <- function(f) setNames(as.list(levels(f)), seq_along(levels(f)))

data(Salaries, package = "carData")
sal <- data.frame(id = seq_len(nrow(Salaries)), salary = Salaries$salary, rank = codes(Salaries$rank),
                  discipline = codes(Salaries$discipline), yrs_service = Salaries$yrs.service,
                  yrs_since_phd = Salaries$yrs.since.phd)
sal$yrs_service[c(5, 17, 101, 230, 391)] <- NA
write.csv(sal, file.path(out_dir, "groups_salaries.csv"), row.names = FALSE, na = "")

data(Womenlf, package = "carData")
wlf <- data.frame(id = seq_len(nrow(Womenlf)), hincome = Womenlf$hincome, partic = codes(Womenlf$partic),
                  children = as.integer(Womenlf$children == "present"), region = codes(Womenlf$region))
write.csv(wlf, file.path(out_dir, "groups_womenlf.csv"), row.names = FALSE, na = "")

# R names -> leftbehind term keys
key_of <- function(name) {
  name <- sub("^\\(Intercept\\)$", "const", name)
  name <- sub("^grp([0-9]+):mod$", "\\1_x", name)
  name <- sub("^grp([0-9]+)$", "\\1", name)
  name <- sub("^mod$", "moderator", name)
  name <- sub("^fac_([a-z_]+)([0-9]+)$", "C(\\1)[T.\\2]", name)
  name
}

summarise <- function(fit) {
  s <- summary(fit)$coefficients
  list(n = nobs(fit), r2 = summary(fit)$r.squared,
       coefficients = setNames(lapply(seq_len(nrow(s)), function(i)
         list(b = s[i, 1], se = s[i, 2], t = s[i, 3], p = s[i, 4])), key_of(rownames(s))))
}

# ---------------------------------------------------------------- Salaries
d <- na.omit(sal)
d$grp <- relevel(factor(d$rank), ref = "3")
d$fac_discipline <- factor(d$discipline)
m1 <- lm(salary ~ grp, data = d)
m2 <- lm(salary ~ grp + fac_discipline + yrs_service, data = d)
centre <- mean(d$yrs_since_phd)
d$mod <- d$yrs_since_phd - centre
main <- lm(salary ~ grp + fac_discipline + yrs_service + mod, data = d)
inter <- lm(salary ~ fac_discipline + yrs_service + grp * mod, data = d)
salaries <- list(
  labels = list(rank = labels_of(Salaries$rank), discipline = labels_of(Salaries$discipline)),
  centre = centre,
  nested = list("Model 1" = summarise(m1), "Model 2" = summarise(m2)),
  main_effect = summarise(main),
  moderation = summarise(inter))

# ---------------------------------------------------------------- Womenlf
w <- wlf
w$grp <- relevel(factor(w$partic), ref = "2")
w$fac_region <- factor(w$region)
w1 <- lm(hincome ~ grp, data = w)
w2 <- lm(hincome ~ grp + children + fac_region, data = w)
womenlf <- list(
  labels = list(partic = labels_of(Womenlf$partic), region = labels_of(Womenlf$region)),
  nested = list("Model 1" = summarise(w1), "Model 2" = summarise(w2)))

write_json(list(salaries = salaries, womenlf = womenlf, r_version = R.version.string),
           file.path(out_dir, "groups.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
