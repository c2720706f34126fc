# Reference values for leftbehind.models.small_clusters and leftbehind.models.wild_bootstrap.
#
# Run from the repository root:   Rscript tests/reference/models/few_clusters.R
#
# CR2 (Bell-McCaffrey) covariance, Satterthwaite t tests and HTZ Wald tests come from
# clubSandwich (vcovCR type "CR2", coef_test, Wald_test). The CR1 t tests on G - 1 degrees of
# freedom (Stata's regress, vce(cluster)) come from sandwich::vcovCL + lmtest::coeftest.
# The restricted wild cluster bootstrap (WCR) is written out by hand below: for every row of a
# weight matrix it builds y* from the restricted fit, refits with lm() and takes the CR1 t from
# sandwich::vcovCL. The weight matrices are written to CSV so that Python uses the same draws.
#
# Writes tests/reference/data/few_clusters_*.csv, tests/reference/models/few_clusters_weights_*.csv
# and tests/reference/models/few_clusters.json.

suppressPackageStartupMessages({
  library(clubSandwich)
  library(sandwich)
  library(lmtest)
  library(jsonlite)
})

data_dir <- file.path("tests", "reference", "data")
out_dir <- file.path("tests", "reference", "models")

# ---------------------------------------------------------------- data sets
data(MortalityRates, package = "clubSandwich")
mv <- subset(MortalityRates, cause == "Motor Vehicle",
             select = c(state, year, mrate, legal, beertaxa, beerpercap, winepercap, spiritpercap))
mv <- mv[complete.cases(mv), ]
write.csv(mv, file.path(data_dir, "few_clusters_mortality.csv"), row.names = FALSE)

orn <- carData::Ornstein
orn <- data.frame(interlocks = orn$interlocks, log_assets = log(orn$assets),
                  bank = as.integer(orn$sector == "BNK"), mining = as.integer(orn$sector == "MIN"),
                  nation = as.character(orn$nation))
write.csv(orn, file.path(data_dir, "few_clusters_ornstein.csv"), row.names = FALSE)

# Four schools of very different size (3, 6, 10, 25 pupils), a school-level treatment and a
# pupil-level covariate: the Hunchun shape at its most fragile.
set.seed(20261203)
sizes <- c(3, 6, 10, 25)
school <- rep(c("s1", "s2", "s3", "s4"), sizes)
treated <- rep(c(1, 0, 1, 0), sizes)
x <- round(rnorm(sum(sizes)), 3)
z <- round(runif(sum(sizes)), 3)
y <- round(1 + 0.5 * x + 0.3 * treated - 0.4 * z + rep(rnorm(4, 0, 0.7), sizes) +
             rnorm(sum(sizes), 0, 1 + treated), 3)
four <- data.frame(y = y, x = x, z = z, treated = treated, school = school)
write.csv(four, file.path(data_dir, "few_clusters_four.csv"), row.names = FALSE)

mv <- read.csv(file.path(data_dir, "few_clusters_mortality.csv"))
orn <- read.csv(file.path(data_dir, "few_clusters_ornstein.csv"))
four <- read.csv(file.path(data_dir, "few_clusters_four.csv"))

# ---------------------------------------------------------------- CR2 and G - 1
cases <- list(
  mortality = list(data = mv, formula = mrate ~ legal + beertaxa + beerpercap + winepercap + spiritpercap,
                   cluster = "state", wald = c("beerpercap", "winepercap", "spiritpercap")),
  mortality_fe = list(data = mv, formula = mrate ~ 0 + legal + beertaxa + factor(state) + factor(year),
                      cluster = "state", wald = c("legal", "beertaxa"), keep = c("legal", "beertaxa")),
  ornstein = list(data = orn, formula = interlocks ~ log_assets + bank + mining,
                  cluster = "nation", wald = c("bank", "mining")),
  four = list(data = four, formula = y ~ x + treated + z, cluster = "school", wald = c("x", "z"))
)

py_name <- function(x) sub("^\\(Intercept\\)$", "Intercept", x)

cr2_case <- function(case) {
  fit <- lm(case$formula, data = case$data)
  g <- case$data[[case$cluster]]
  keep <- if (is.null(case$keep)) names(coef(fit)) else case$keep
  V <- vcovCR(fit, cluster = g, type = "CR2")
  ct <- coef_test(fit, vcov = V, test = c("Satterthwaite", "naive-t"))
  ct <- ct[keep, ]
  constraint <- constrain_zero(case$wald, reg_ex = FALSE)
  wt <- Wald_test(fit, constraints = constraint, vcov = V, test = c("HTZ", "Naive-F"))
  G <- length(unique(g))
  V1 <- vcovCL(fit, cluster = g, type = "HC1")
  c1 <- coeftest(fit, vcov. = V1, df = G - 1)[keep, , drop = FALSE]
  ci1 <- coefci(fit, vcov. = V1, df = G - 1)[keep, , drop = FALSE]
  Vk <- as.matrix(V)[keep, keep]
  list(
    n = nobs(fit), n_clusters = G, terms = py_name(keep),
    cr2 = list(vcov = unname(Vk), b = unname(ct$beta), se = unname(ct$SE), t = unname(ct$tstat),
               df = unname(ct$df_Satt), p = unname(ct$p_Satt), p_naive = unname(ct$p_t)),
    wald = list(terms = py_name(case$wald),
                htz = as.list(wt[wt$test == "HTZ", c("Fstat", "delta", "df_num", "df_denom", "p_val")]),
                naive = as.list(wt[wt$test == "Naive-F", c("Fstat", "df_num", "df_denom", "p_val")])),
    cr1_g1 = list(se = unname(c1[, 2]), t = unname(c1[, 3]), p = unname(c1[, 4]),
                  ci_low = unname(ci1[, 1]), ci_high = unname(ci1[, 2]), df = G - 1)
  )
}

# ---------------------------------------------------------------- wild cluster bootstrap (WCR)
wcr <- function(data, formula, cluster, term, weights, null = 0) {
  fit <- lm(formula, data = data)
  g <- data[[cluster]]
  levels_g <- sort(unique(g))
  idx <- match(g, levels_g)
  X <- model.matrix(fit)
  y <- model.response(model.frame(fit))
  k <- which(colnames(X) == term)
  t0 <- (coef(fit)[k] - null) / sqrt(vcovCL(fit, cluster = g, type = "HC1")[k, k])
  # restricted fit: the term's coefficient fixed at the null value
  y_r <- y - null * X[, k]
  fit_r <- lm.fit(X[, -k, drop = FALSE], y_r)
  fitted_r <- fit_r$fitted.values + null * X[, k]
  resid_r <- fit_r$residuals
  tstar <- apply(weights, 1, function(w) {
    ystar <- fitted_r + resid_r * w[idx]
    d <- data
    d$.ystar <- ystar
    fs <- lm(update(formula, .ystar ~ .), data = d)
    (coef(fs)[k] - null) / sqrt(vcovCL(fs, cluster = g, type = "HC1")[k, k])
  })
  tol <- 1e-10 * abs(t0)
  list(t = unname(t0), t_star = unname(tstar), p = mean(abs(tstar) >= abs(t0) - tol),
       p_lower = mean(tstar <= t0 + tol), p_upper = mean(tstar >= t0 - tol))
}

write_weights <- function(w, name) {
  colnames(w) <- paste0("g", seq_len(ncol(w)))
  write.csv(w, file.path(out_dir, paste0("few_clusters_weights_", name, ".csv")), row.names = FALSE)
  as.matrix(read.csv(file.path(out_dir, paste0("few_clusters_weights_", name, ".csv"))))
}

# G = 4: every one of the 2^4 Rademacher sign vectors (full enumeration)
enum <- as.matrix(expand.grid(rep(list(c(-1, 1)), 4)))
enum <- write_weights(unname(enum), "four_enum")
set.seed(7)
webb_values <- c(-sqrt(3 / 2), -1, -sqrt(1 / 2), sqrt(1 / 2), 1, sqrt(3 / 2))
webb <- write_weights(matrix(sample(webb_values, 399 * 4, replace = TRUE), ncol = 4), "ornstein_webb")
G_mv <- length(unique(mv$state))
rade <- write_weights(matrix(sample(c(-1, 1), 199 * G_mv, replace = TRUE), ncol = G_mv), "mortality_rademacher")

boot <- list(
  four_treated = c(wcr(four, y ~ x + treated + z, "school", "treated", enum),
                   list(weights = "four_enum", term = "treated", null = 0)),
  four_x_null = c(wcr(four, y ~ x + treated + z, "school", "x", enum, null = 0.5),
                  list(weights = "four_enum", term = "x", null = 0.5)),
  ornstein_webb = c(wcr(orn, interlocks ~ log_assets + bank + mining, "nation", "bank", webb),
                    list(weights = "ornstein_webb", term = "bank", null = 0)),
  mortality_rademacher = c(wcr(mv, mrate ~ legal + beertaxa + beerpercap + winepercap + spiritpercap,
                               "state", "legal", rade),
                           list(weights = "mortality_rademacher", term = "legal", null = 0))
)

out <- list(
  generator = paste("R", getRversion(), "clubSandwich", packageVersion("clubSandwich"),
                    "sandwich", packageVersion("sandwich")),
  cr2 = lapply(cases, cr2_case),
  wild = boot
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(out_dir, "few_clusters.json"))
