# Reference values for the deterministic parts of leftbehind.models.impute, from R mice.
#
# Run from the repository root (after mice.R):   Rscript tests/reference/mice/mice_parts.R
#
# On the first completed data set of mice.R (predictors) and the incomplete data (which rows
# are observed), writes tests/reference/mice/parts.json with
# - mice:::augment(): the pseudo-observations logreg and polyreg add;
# - the logistic fit of mice.impute.logreg (glm.fit, quasibinomial, augmentation weights):
#   coefficients and cov.unscaled, for nhanes2's hyp on age, bmi and chl;
# - the multinomial fit of mice.impute.polyreg (nnet::multinom with the same weights) for
#   boys' reg on age, hgt, wgt and hc: fitted probabilities of the observed and augmented rows.

suppressPackageStartupMessages({
  library(mice)
  library(jsonlite)
})
data_dir <- file.path("tests", "reference", "data")
first <- function(name) {
  long <- read.csv(file.path(data_dir, paste0("mice_", name, "_completed.csv")))
  long[long$.imp == 1, setdiff(names(long), ".imp")]
}

nh_inc <- read.csv(file.path(data_dir, "mice_nhanes2.csv"), na.strings = c("", "NA"))
nh <- first("nhanes2")
nh$age <- factor(nh$age, levels = c("20-39", "40-59", "60-99"))
y <- factor(nh$hyp, levels = c("no", "yes"))
ry <- !is.na(nh_inc$hyp)
x <- model.matrix(~ age + bmi + chl, nh)[, -1]
aug <- mice:::augment(y, ry, x, !ry)
xa <- cbind(1, as.matrix(aug$x))
fit <- glm.fit(x = xa[aug$ry, ], y = aug$y[aug$ry], family = quasibinomial(link = logit),
               weights = aug$w[aug$ry])
cov_unscaled <- summary.glm(fit)$cov.unscaled

boys_inc <- read.csv(file.path(data_dir, "mice_boys.csv"), na.strings = c("", "NA"))
boys <- first("boys")
yb <- factor(boys$reg, levels = c("north", "east", "west", "south", "city"))
ryb <- !is.na(boys_inc$reg)
xb <- as.matrix(boys[, c("age", "hgt", "wgt", "hc")])
augb <- mice:::augment(yb, ryb, xb, !ryb)
xy <- cbind.data.frame(y = augb$y, x = augb$x)
mfit <- nnet::multinom(formula(xy), data = xy[augb$ry, , drop = FALSE], weights = augb$w[augb$ry],
                       maxit = 1000, trace = FALSE, reltol = 1e-14, abstol = 1e-14)

out <- list(
  augment_logreg = list(x = unname(as.matrix(aug$x[-seq_len(nrow(x)), ])),
                        y = as.character(aug$y[-seq_len(nrow(x))]),
                        w = aug$w[-seq_len(nrow(x))]),
  logreg = list(coef = unname(coef(fit)), cov_unscaled = unname(cov_unscaled)),
  # augment() returns the categories as labels (as.factor sorts them, so multinom's reference
  # is the alphabetically first level): compare labels and fitted probabilities, which do not
  # depend on the reference category
  augment_polyreg = list(x = unname(as.matrix(augb$x[-seq_len(nrow(xb)), ])),
                         y = as.character(augb$y[-seq_len(nrow(xb))]),
                         w = augb$w[-seq_len(nrow(xb))]),
  polyreg = list(levels = levels(yb), fitted = unname(fitted(mfit)[, levels(yb)])))
writeLines(toJSON(out, digits = NA, pretty = TRUE, matrix = "rowmajor"),
           file.path("tests", "reference", "mice", "parts.json"))
