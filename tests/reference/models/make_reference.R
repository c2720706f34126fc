# Reference values for leftbehind.models, computed independently with base R, sandwich and lmtest.
#
# Run from the repository root:   Rscript tests/reference/models/make_reference.R
#
# Writes the input data sets to tests/reference/data/models_*.csv, reads them back (so R and
# Python compute from exactly the same numbers) and writes tests/reference/models/models.json.
# Term names are translated to the patsy spelling the Python side uses (see py_name()).

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
  library(jsonlite)
})

data_dir <- file.path("tests", "reference", "data")
out_dir <- file.path("tests", "reference", "models")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)

# ---------------------------------------------------------------- data sets
data(PetersenCL, package = "sandwich")
write.csv(PetersenCL, file.path(data_dir, "models_petersen.csv"), row.names = FALSE)

ir <- iris
names(ir) <- gsub(".", "_", names(ir), fixed = TRUE)
write.csv(ir, file.path(data_dir, "models_iris.csv"), row.names = FALSE)

# A synthetic study shaped like the Hunchun survey: a four-category migration group, school
# clusters, controls, two school-support moderators, and a few missing values.
set.seed(20230605)
n <- 660
group <- sample(c("none", "mother", "father", "both"), n, replace = TRUE,
                prob = c(0.60, 0.06, 0.20, 0.14))
school <- sample(1:14, n, replace = TRUE)
girl <- rbinom(n, 1, 0.55)
age <- round(rnorm(n, 13, 1.1), 1)
grade <- pmin(9, pmax(5, round(age - 5 + rnorm(n, 0, 0.6))))
belonging <- pmin(5, pmax(1, round(rnorm(n, 3.6, 0.75), 2)))
teacher <- rnorm(n) + 0.2 * (school %% 3)
school_effect <- rnorm(14, 0, 1.2)[school]
mother <- group == "mother"; father <- group == "father"; both <- group == "both"
bc <- belonging - 3.6
depression <- 11.4 + 2.6 * mother - 0.3 * father - 0.2 * both + 1.0 * girl + 0.3 * (age - 13) +
  0.9 * (grade - 8) - 1.8 * bc - 2.8 * mother * bc + 0.9 * father * bc - 0.5 * teacher +
  school_effect + rnorm(n, 0, 5)
hunchun <- data.frame(depression = round(depression, 3), group = group, school = school,
                      girl = girl, age = age, grade = grade, belonging = belonging,
                      teacher = round(teacher, 4))
hunchun$belonging[sample(n, 18)] <- NA
hunchun$teacher[sample(n, 15)] <- NA
hunchun$age[sample(n, 9)] <- NA
hunchun$depression[sample(n, 11)] <- NA
write.csv(hunchun, file.path(data_dir, "models_hunchun.csv"), row.names = FALSE, na = "")

petersen <- read.csv(file.path(data_dir, "models_petersen.csv"))
ir <- read.csv(file.path(data_dir, "models_iris.csv"))
ir$Species <- factor(ir$Species, levels = c("setosa", "versicolor", "virginica"))
hunchun <- read.csv(file.path(data_dir, "models_hunchun.csv"))
hunchun$group <- factor(hunchun$group, levels = c("none", "mother", "father", "both"))

# ---------------------------------------------------------------- helpers
py_name <- function(r) {
  r <- sub("^\\(Intercept\\)$", "Intercept", r)
  r <- gsub("group(none|mother|father|both)", "C(group, Treatment('none'))[T.\\1]", r)
  r <- gsub("Species(versicolor|virginica)", "C(Species, Treatment('setosa'))[T.\\1]", r)
  r
}

vcov_of <- function(fit, se, cluster = NULL, data = NULL) {
  if (se == "classical") return(vcov(fit))
  if (se %in% c("HC1", "HC3")) return(vcovHC(fit, type = se))
  vcovCL(fit, cluster = data[[cluster]], type = "HC1", cadjust = TRUE)
}

coef_table <- function(fit, V) {
  ct <- coeftest(fit, vcov. = V)
  ci <- coefci(fit, vcov. = V, level = 0.95)
  terms <- py_name(rownames(ct))
  out <- lapply(seq_along(terms), function(i) list(
    b = unname(ct[i, 1]), se = unname(ct[i, 2]), t = unname(ct[i, 3]), p = unname(ct[i, 4]),
    ci_low = unname(ci[i, 1]), ci_high = unname(ci[i, 2])))
  names(out) <- terms
  out
}

fit_case <- function(name, data, r_formula, py_formula, se, cluster = NULL) {
  mf <- model.frame(r_formula, data = if (is.null(cluster)) data else
    data[stats::complete.cases(data[[cluster]]), ])
  used <- data[rownames(mf), ]
  fit <- lm(r_formula, data = used)
  V <- vcov_of(fit, se, cluster, used)
  wt <- waldtest(fit, vcov = V, test = "F")
  s <- summary(fit)
  Vn <- V
  dimnames(Vn) <- list(py_name(rownames(V)), py_name(colnames(V)))
  list(name = name, formula = py_formula, se = if (is.null(cluster)) se else paste0("cluster:", cluster),
       n = nobs(fit), df_resid = fit$df.residual, r2 = s$r.squared, adj_r2 = s$adj.r.squared,
       f_stat = wt$F[2], f_p = wt$`Pr(>F)`[2], df_model = wt$Df[2] * -1,
       coefficients = coef_table(fit, V),
       vcov = lapply(seq_len(nrow(Vn)), function(i) unname(Vn[i, ])), vcov_terms = rownames(Vn))
}

# ---------------------------------------------------------------- OLS with four SE types
ols <- list()
ols[[length(ols) + 1]] <- fit_case("petersen_classical", petersen, y ~ x, "y ~ x", "classical")
ols[[length(ols) + 1]] <- fit_case("petersen_hc1", petersen, y ~ x, "y ~ x", "HC1")
ols[[length(ols) + 1]] <- fit_case("petersen_hc3", petersen, y ~ x, "y ~ x", "HC3")
ols[[length(ols) + 1]] <- fit_case("petersen_cluster_firm", petersen, y ~ x, "y ~ x", "cluster", "firm")
ols[[length(ols) + 1]] <- fit_case("petersen_cluster_year", petersen, y ~ x, "y ~ x", "cluster", "year")

hf <- depression ~ group + girl + age + grade
hf_py <- "depression ~ C(group, Treatment('none')) + girl + age + grade"
for (se in c("classical", "HC1", "HC3")) {
  ols[[length(ols) + 1]] <- fit_case(paste0("hunchun_", se), hunchun, hf, hf_py, se)
}
ols[[length(ols) + 1]] <- fit_case("hunchun_cluster_school", hunchun, hf, hf_py, "cluster", "school")

mf <- depression ~ group * belonging + girl + age
mf_py <- "depression ~ C(group, Treatment('none')) * belonging + girl + age"
for (se in c("classical", "HC3")) {
  ols[[length(ols) + 1]] <- fit_case(paste0("hunchun_moderation_", se), hunchun, mf, mf_py, se)
}
ols[[length(ols) + 1]] <- fit_case("hunchun_moderation_cluster", hunchun, mf, mf_py, "cluster", "school")

irf <- Sepal_Length ~ Species * Sepal_Width
irf_py <- "Sepal_Length ~ C(Species, Treatment('setosa')) * Sepal_Width"
for (se in c("classical", "HC1", "HC3")) {
  ols[[length(ols) + 1]] <- fit_case(paste0("iris_", se), ir, irf, irf_py, se)
}

# ---------------------------------------------------------------- standardised coefficients
# Fitted on z-scored variables (a different route from b * sd(x) / sd(y)).
hs <- hunchun[complete.cases(hunchun[, c("depression", "girl", "age", "grade", "belonging")]), ]
zfit <- lm(scale(depression) ~ scale(girl) + scale(age) + scale(grade) + scale(belonging), data = hs)
beta <- unname(coef(zfit))[-1]
names(beta) <- c("girl", "age", "grade", "belonging")
standardized <- list(formula = "depression ~ girl + age + grade + belonging", beta = as.list(beta))

# ---------------------------------------------------------------- nested blocks (anova F-change)
vars_all <- c("depression", "group", "girl", "age", "grade", "belonging", "teacher")
hn <- hunchun[complete.cases(hunchun[, vars_all]), ]
m1 <- lm(depression ~ group, data = hn)
m2 <- lm(depression ~ group + girl + age + grade, data = hn)
m3 <- lm(depression ~ group + girl + age + grade + belonging + teacher, data = hn)
m0 <- lm(depression ~ 1, data = hn)
block_row <- function(prev, cur, formula) {
  a <- anova(prev, cur)
  list(formula = formula, r2 = summary(cur)$r.squared, adj_r2 = summary(cur)$adj.r.squared,
       delta_r2 = summary(cur)$r.squared - (if (length(coef(prev)) == 1) 0 else summary(prev)$r.squared),
       f_change = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p_change = a$`Pr(>F)`[2])
}
nested <- list(
  blocks_in = c("depression ~ C(group, Treatment('none'))", "+ girl + age + grade", "+ belonging + teacher"),
  n = nrow(hn),
  blocks = list(
    block_row(m0, m1, "depression ~ C(group, Treatment('none'))"),
    block_row(m1, m2, "depression ~ C(group, Treatment('none')) + girl + age + grade"),
    block_row(m2, m3, "depression ~ C(group, Treatment('none')) + girl + age + grade + belonging + teacher")
  ),
  block3_cluster = coef_table(m3, vcovCL(m3, cluster = hn$school, type = "HC1")))

# ---------------------------------------------------------------- main-effect and moderation series
base_vars <- c("depression", "group", "girl", "age", "grade", "school")
series <- list()
for (mod in c("belonging", "teacher")) {
  d <- hunchun[complete.cases(hunchun[, c(base_vars, mod)]), ]
  centre <- mean(d[[mod]])
  d$m <- d[[mod]] - centre
  me <- lm(depression ~ group + girl + age + grade + m, data = d)
  mo <- lm(depression ~ group * m + girl + age + grade, data = d)
  tidy <- function(tab) {
    names(tab) <- sub("(^|:)m$", paste0("\\1", mod), names(tab))
    names(tab) <- sub("^m:", paste0(mod, ":"), names(tab))
    tab
  }
  series[[mod]] <- list(
    n = nrow(d), centre = centre,
    main = list(r2 = summary(me)$r.squared, adj_r2 = summary(me)$adj.r.squared,
                coefficients = tidy(coef_table(me, vcovCL(me, cluster = d$school, type = "HC1")))),
    moderation = list(r2 = summary(mo)$r.squared, adj_r2 = summary(mo)$adj.r.squared,
                      coefficients = tidy(coef_table(mo, vcovCL(mo, cluster = d$school, type = "HC1")))),
    moderation_uncentred = list(
      coefficients = coef_table(lm(as.formula(paste("depression ~ group *", mod, "+ girl + age + grade")),
                                   data = d), vcov(lm(as.formula(paste("depression ~ group *", mod,
                                   "+ girl + age + grade")), data = d)))))
}

# ---------------------------------------------------------------- simple slopes and Johnson-Neyman
# Linear combinations L b with variance L V L'; JN bounds found by uniroot on |t(m)| - t_crit
# over a fine grid (a different route from the closed-form quadratic used in Python).
slopes_and_jn <- function(fit, V, focal, inter, mod_values, modvar, data, alpha = 0.05) {
  b <- coef(fit)
  dfr <- fit$df.residual
  tc <- qt(1 - alpha / 2, dfr)
  one <- function(m) {
    L <- setNames(rep(0, length(b)), names(b))
    L[focal] <- 1
    L[inter] <- m
    est <- sum(L * b)
    se <- sqrt(drop(t(L) %*% V %*% L))
    c(slope = est, se = se, t = est / se, p = 2 * pt(-abs(est / se), dfr),
      ci_low = est - tc * se, ci_high = est + tc * se)
  }
  tab <- t(sapply(mod_values, one))
  slopes <- lapply(seq_along(mod_values), function(i) c(list(at = mod_values[i]), as.list(tab[i, ])))
  f <- function(m) abs(one(m)[["t"]]) - tc
  obs <- range(model.frame(fit)[[modvar]])
  span <- diff(obs)
  grid <- sort(unique(c(seq(obs[1] - 20 * span, obs[2] + 20 * span, length.out = 40001),
                        seq(obs[1] - 1e5 * span, obs[2] + 1e5 * span, length.out = 400001))))
  vals <- sapply(grid, f)
  idx <- which(diff(sign(vals)) != 0)
  bounds <- sapply(idx, function(i) uniroot(f, c(grid[i], grid[i + 1]), tol = 1e-12)$root)
  region <- if (length(bounds) == 2) {
    if (f(mean(bounds)) > 0) "inside" else "outside"
  } else if (length(bounds) == 1) {
    if (f(bounds + 1) > 0) "above" else "below"
  } else if (f(0) > 0) "everywhere" else "nowhere"
  list(slopes = slopes, jn = list(bounds = as.list(bounds), t_crit = tc, region = region,
       range = as.list(obs)))
}

moderation <- list()
fi <- lm(irf, data = ir)
mv <- mean(ir$Sepal_Width); sv <- sd(ir$Sepal_Width)
for (se in c("classical", "HC3")) {
  V <- vcov_of(fi, se)
  moderation[[paste0("iris_versicolor_", se)]] <- c(
    list(formula = irf_py, se = se, focal = "C(Species, Treatment('setosa'))[T.versicolor]",
         moderator = "Sepal_Width"),
    slopes_and_jn(fi, V, "Speciesversicolor", "Speciesversicolor:Sepal_Width",
                  c(mv - sv, mv, mv + sv), "Sepal_Width", ir))
}
# a numeric focal variable moderated by a numeric moderator
pf <- lm(Sepal_Length ~ Petal_Length * Sepal_Width, data = ir)
moderation[["iris_numeric_classical"]] <- c(
  list(formula = "Sepal_Length ~ Petal_Length * Sepal_Width", se = "classical",
       focal = "Petal_Length", moderator = "Sepal_Width"),
  slopes_and_jn(pf, vcov(pf), "Petal_Length", "Petal_Length:Sepal_Width",
                c(2.5, 3, 3.5), "Sepal_Width", ir))
hm <- hunchun[complete.cases(hunchun[, c("depression", "group", "belonging", "girl", "age", "school")]), ]
fh <- lm(mf, data = hm)
mh <- mean(hm$belonging); sh <- sd(hm$belonging)
for (se in c("classical", "cluster")) {
  V <- if (se == "classical") vcov(fh) else vcovCL(fh, cluster = hm$school, type = "HC1")
  moderation[[paste0("hunchun_mother_", se)]] <- c(
    list(formula = mf_py, se = if (se == "cluster") "cluster:school" else se,
         focal = "C(group, Treatment('none'))[T.mother]", moderator = "belonging"),
    slopes_and_jn(fh, V, "groupmother", "groupmother:belonging", c(mh - sh, mh, mh + sh),
                  "belonging", hm))
}

# ---------------------------------------------------------------- predictions for the plot
# Predicted depression at belonging = 2, 3, 4 for each group, other covariates at their means.
pred_grid <- expand.grid(group = levels(hm$group), belonging = c(2, 3, 4))
X <- model.matrix(fh)
means <- colMeans(X)
rows <- t(apply(pred_grid, 1, function(r) {
  x <- means
  x[grep("^group", names(x))] <- 0
  if (r[["group"]] != "none") x[paste0("group", r[["group"]])] <- 1
  x["belonging"] <- as.numeric(r[["belonging"]])
  for (g in c("mother", "father", "both")) x[paste0("group", g, ":belonging")] <-
    x[paste0("group", g)] * as.numeric(r[["belonging"]])
  x
}))
fitv <- drop(rows %*% coef(fh))
sev <- sqrt(rowSums((rows %*% vcov(fh)) * rows))
tc <- qt(0.975, fh$df.residual)
predictions <- list(formula = mf_py, group = as.character(pred_grid$group),
                    belonging = pred_grid$belonging, fit = fitv, se = sev,
                    ci_low = fitv - tc * sev, ci_high = fitv + tc * sev)

# ---------------------------------------------------------------- case bootstrap
# Resample indices drawn in R (1-based, one row per replicate), refitted with lm; percentile
# limits with quantile(type = 7).
set.seed(77)
n_boot <- 200
boot_idx <- t(replicate(n_boot, sample.int(nrow(ir), nrow(ir), replace = TRUE)))
write.csv(boot_idx, file.path(data_dir, "models_iris_boot_indices.csv"), row.names = FALSE)
boot_idx <- as.matrix(read.csv(file.path(data_dir, "models_iris_boot_indices.csv")))
draws <- t(apply(boot_idx, 1, function(i) coef(lm(irf, data = ir[i, ]))))
colnames(draws) <- py_name(colnames(draws))
bootstrap <- list(formula = irf_py, n_boot = n_boot,
                  first_draws = lapply(1:5, function(r) as.list(draws[r, ])),
                  se = as.list(apply(draws, 2, sd)),
                  ci_low = as.list(apply(draws, 2, quantile, probs = 0.025, type = 7, names = FALSE)),
                  ci_high = as.list(apply(draws, 2, quantile, probs = 0.975, type = 7, names = FALSE)))

ref <- list(generated_by = "tests/reference/models/make_reference.R",
            r_version = R.version.string,
            sandwich_version = as.character(packageVersion("sandwich")),
            ols = ols, standardized = standardized, nested = nested, series = series,
            moderation = moderation, predictions = predictions,
            bootstrap = bootstrap)
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out_dir, "models.json"))
cat("wrote", file.path(out_dir, "models.json"), "\n")
