# Simple slopes at default moderator values kept inside the observed range: mean -/+ SD
# clipped with pmin/pmax, and percentiles (quantile type 7). Run from the repository root:
#     Rscript tests/reference/models/slopes_range.R
# Writes tests/reference/data/slopes_*.csv and tests/reference/models/slopes_range.json.
suppressPackageStartupMessages({ library(jsonlite); library(carData) })
data_dir <- "tests/reference/data"

slopes_at <- function(fit, focal, inter, values) {
  b <- coef(fit); V <- vcov(fit); dfr <- fit$df.residual; tc <- qt(0.975, dfr)
  lapply(values, function(m) {
    L <- setNames(rep(0, length(b)), names(b)); L[focal] <- 1; L[inter] <- m
    est <- sum(L * b); se <- sqrt(drop(t(L) %*% V %*% L))
    list(at = m, slope = est, se = se, t = est / se, p = 2 * pt(-abs(est / se), dfr),
         ci_low = est - tc * se, ci_high = est + tc * se)
  })
}
case <- function(data, file, formula, focal, inter, moderator) {
  write.csv(data, file.path(data_dir, file), row.names = FALSE)
  data <- read.csv(file.path(data_dir, file))
  fit <- lm(as.formula(formula), data = data)
  m <- model.frame(fit)[[moderator]]
  raw <- c(mean(m) - sd(m), mean(m), mean(m) + sd(m))
  clipped <- pmin(pmax(raw, min(m)), max(m))
  pct <- unname(quantile(m, c(0.16, 0.5, 0.84), type = 7))
  list(data = file, formula = formula, focal = focal, moderator = moderator,
       raw_sd_values = raw, clipped = raw != clipped,
       sd = slopes_at(fit, focal, inter, clipped), percentiles = slopes_at(fit, focal, inter, pct))
}
prestige <- Prestige[, c("prestige", "education", "women")]
cars <- mtcars[, c("mpg", "hp", "am")]
iris2 <- setNames(iris[, 1:3], c("Sepal_Length", "Sepal_Width", "Petal_Length"))
out <- list(
  prestige_women = case(prestige, "slopes_prestige.csv", "prestige ~ education * women",
                        "education", "education:women", "women"),
  mtcars_am = case(cars, "slopes_mtcars.csv", "mpg ~ hp * am", "hp", "hp:am", "am"),
  iris_inside = case(iris2, "slopes_iris.csv", "Sepal_Length ~ Petal_Length * Sepal_Width",
                     "Petal_Length", "Petal_Length:Sepal_Width", "Sepal_Width"))
write_json(out, "tests/reference/models/slopes_range.json", auto_unbox = TRUE, digits = NA,
           pretty = TRUE)
