# Reference values for tests/simulate/test_calibration_identities.py (leftbehind.simulate).
# Run from this folder: Rscript calibration_identities.R
# For two R data sets (carData::Prestige, datasets::mtcars) it writes the data (CSV) and,
# for a "paper" of three models fitted with lm(), a published-figures file with the printed
# b, SE and stars (two-sided t test: * p < .05, ** p < .01, *** p < .001), plus
# sum_c gamma_c mean_c: the regression of the moderator on groups and controls evaluated at the
# controls' means (intercept left out), which the intercepts identify.
library(jsonlite)
library(carData)

stars <- function(p) strrep("*", sum(p < c(0.05, 0.01, 0.001)))

paper <- function(d, name, groups, controls, moderator, outcome) {
  d$g <- factor(d$g, levels = groups)
  for (g in groups[-1]) d[[g]] <- as.numeric(d$g == g)
  d$m <- d[[moderator]] - mean(d[[moderator]])
  write.csv(d[, c("g", outcome, controls, moderator)], paste0(name, ".csv"), row.names = FALSE)
  rhs0 <- paste(c(groups[-1], controls), collapse = " + ")
  fits <- list(
    base = lm(as.formula(paste(outcome, "~", rhs0)), d),
    main = lm(as.formula(paste(outcome, "~", rhs0, "+ m")), d),
    inter = lm(as.formula(paste(outcome, "~", rhs0, "+ m +",
                                paste0(groups[-1], ":m", collapse = " + "))), d))
  printed <- function(fit) {
    s <- summary(fit)$coefficients
    out <- list()
    for (k in rownames(s)) {
      key <- if (k == "(Intercept)") "const" else if (k == "m") "moderator" else
        if (grepl(":m$", k)) paste0(sub(":m$", "", k), "_x") else k
      out[[key]] <- list(b = unname(s[k, 1]), se = unname(s[k, 2]), stars = stars(s[k, 4]),
                         p = unname(s[k, 4]))
    }
    out$r2 <- summary(fit)$r.squared
    out
  }
  by_group <- function(x, f) setNames(lapply(groups, function(g) f(x[d$g == g])), groups)
  continuous <- list()
  for (v in c(outcome, controls, moderator))
    continuous[[v]] <- list(mean = by_group(d[[v]], mean), sd = by_group(d[[v]], sd))
  gam <- coef(lm(as.formula(paste("m ~", rhs0)), d))
  gap <- sum(gam[controls] * colMeans(d[, controls, drop = FALSE]))
  fig <- list(
    outcome = outcome, controls = controls,
    table1 = list(n = setNames(lapply(groups, function(g) sum(d$g == g)), groups),
                  continuous = continuous),
    migration_rule = list(reference = groups[1]),
    table2 = list(model1 = printed(fits$base)),
    table3_main_effects = setNames(list(printed(fits$main)), moderator),
    table4_interactions = setNames(list(printed(fits$inter)), moderator),
    model_conventions = list(centering = list(table3 = list("*" = "mean"),
                                              table4 = list("*" = "mean"))))
  list(figures = fig, control_gap = setNames(list(gap), moderator))
}

p <- na.omit(Prestige[, c("prestige", "education", "women", "income", "type")])
p$g <- as.character(p$type)
p$income <- p$income / 1000
m <- mtcars
m$g <- paste0("cyl", m$cyl)
out <- list(
  prestige = paper(p, "prestige", c("bc", "prof", "wc"), c("education", "women"), "income", "prestige"),
  mtcars = paper(m, "mtcars", c("cyl4", "cyl6", "cyl8"), c("wt", "hp"), "qsec", "mpg"))
write_json(out, "calibration_identities.json", auto_unbox = TRUE, digits = NA, pretty = TRUE)
