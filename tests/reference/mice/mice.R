# Reference values for leftbehind.models.pool and leftbehind.models.impute, computed with R mice.
#
# Run from the repository root:   Rscript tests/reference/mice/mice.R
#
# 1. Pooling (exact): mice imputes two data sets; the m completed data sets are written to
#    tests/reference/data/mice_<name>_completed.csv (long format, column .imp = 1..m) and
#    pool(), pool.r.squared() (plain and adjusted) and D1() of lm fits on them are written to
#    tests/reference/mice/pool.json. Python fits the same models on the same completed rows,
#    so the comparison is exact up to floating point.
# 2. Imputation (Monte Carlo): mice with m = 50 and six seeds on the incomplete data sets
#    (tests/reference/data/mice_<name>.csv); pooled estimates, ubar and b are written to
#    tests/reference/mice/impute.json for comparison within Monte Carlo error.
#
# Data: mice::nhanes2 (25 rows: pmm for bmi, chl; logreg for hyp) and mice::boys, columns age,
# hgt, wgt, hc, reg, with extra values set missing at random (pmm; polyreg for reg).

suppressPackageStartupMessages({
  library(mice)
  library(jsonlite)
})
cat("mice", as.character(packageVersion("mice")), "\n")

data_dir <- file.path("tests", "reference", "data")
out_dir <- file.path("tests", "reference", "mice")

nh <- mice::nhanes2
write.csv(nh, file.path(data_dir, "mice_nhanes2.csv"), row.names = FALSE, na = "")

set.seed(20240817)
boys <- mice::boys[, c("age", "hgt", "wgt", "hc", "reg")]
n <- nrow(boys)
# missing at random: older boys lose weight more often, a random fifth loses head circumference
p_wgt <- plogis(-2.2 + 0.12 * boys$age)
boys$wgt[runif(n) < p_wgt] <- NA
boys$hc[runif(n) < 0.2] <- NA
boys$hgt[runif(n) < 0.1] <- NA
boys$reg[runif(n) < 0.1] <- NA
write.csv(boys, file.path(data_dir, "mice_boys.csv"), row.names = FALSE, na = "")

read_nh <- function() {
  d <- read.csv(file.path(data_dir, "mice_nhanes2.csv"))
  d$age <- factor(d$age, levels = c("20-39", "40-59", "60-99"))
  d$hyp <- factor(d$hyp, levels = c("no", "yes"))
  d
}
read_boys <- function() {
  d <- read.csv(file.path(data_dir, "mice_boys.csv"))
  d$reg <- factor(d$reg, levels = c("north", "east", "west", "south", "city"))
  d
}
nh <- read_nh()
boys <- read_boys()

pool_entry <- function(imp, formula, null_formula) {
  fit <- with(imp, lm(as.formula(formula)))
  p <- pool(fit)$pooled
  r2 <- pool.r.squared(fit)
  ar2 <- pool.r.squared(fit, adjusted = TRUE)
  out <- list(formula = formula,
              terms = I(as.character(p$term)), m = p$m[1], dfcom = p$dfcom[1],
              estimate = I(p$estimate), ubar = I(p$ubar), b = I(p$b), t = I(p$t), df = I(p$df),
              riv = I(p$riv), lambda = I(p$lambda), fmi = I(p$fmi),
              r2 = as.list(setNames(r2[1, ], c("est", "lo95", "hi95", "fmi"))),
              adj_r2 = as.list(setNames(ar2[1, ], c("est", "lo95", "hi95", "fmi"))))
  if (!is.null(null_formula)) {
    fit0 <- with(imp, lm(as.formula(null_formula)))
    d1 <- D1(fit, fit0)$result
    out$null_formula <- null_formula
    out$d1 <- list(f = d1[1, "F.value"], df1 = d1[1, "df1"], df2 = d1[1, "df2"],
                   p = d1[1, "P(>F)"], riv = d1[1, "RIV"])
  }
  out
}

write_completed <- function(imp, name) {
  long <- complete(imp, "long")
  long$.id <- NULL
  write.csv(long, file.path(data_dir, paste0("mice_", name, "_completed.csv")),
            row.names = FALSE)
}

# ---------------------------------------------------------------- 1. pooling, exact
imp_nh <- mice(nh, m = 5, seed = 123, printFlag = FALSE)
write_completed(imp_nh, "nhanes2")
imp_boys <- mice(boys, m = 10, maxit = 10, seed = 456, printFlag = FALSE)
write_completed(imp_boys, "boys")

pool_json <- list(
  nhanes2 = list(
    pool_entry(imp_nh, "chl ~ age + bmi + hyp", "chl ~ age"),
    pool_entry(imp_nh, "chl ~ bmi", "chl ~ 1")),
  boys = list(
    pool_entry(imp_boys, "hgt ~ age + wgt + hc + reg", "hgt ~ age"),
    pool_entry(imp_boys, "hc ~ age + reg", "hc ~ age"),
    # age is never missing: between-imputation variance 0, lambda clamped at 1e-4
    pool_entry(imp_boys, "age ~ 1", NULL)))
writeLines(toJSON(pool_json, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out_dir, "pool.json"))

# ---------------------------------------------------------------- 2. imputation, Monte Carlo
mc_entry <- function(data, formula, seed, maxit) {
  imp <- mice(data, m = 50, maxit = maxit, seed = seed, printFlag = FALSE)
  p <- pool(with(imp, lm(as.formula(formula))))$pooled
  list(formula = formula, seed = seed, m = 50, maxit = maxit, methods = as.list(imp$method),
       terms = I(as.character(p$term)), estimate = I(p$estimate), ubar = I(p$ubar), b = I(p$b))
}
impute_json <- list(
  nhanes2 = lapply(1:6, function(s) mc_entry(nh, "chl ~ age + bmi + hyp", s, 10)),
  boys = lapply(1:6, function(s) mc_entry(boys, "hgt ~ age + wgt + hc + reg", s, 10)))
writeLines(toJSON(impute_json, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out_dir, "impute.json"))
