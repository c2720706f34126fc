# Reference values for maximum-likelihood EFA from several starting points and Bartlett
# factor scores (leftbehind.measures.efa), computed with R's stats::factanal and psych.
#
# Run from the repository root:
#     Rscript tests/reference/measures/efa_ml.R
#
# Writes tests/reference/data/measures_mlhard_*.csv (simulated data sets on which one start
# of the optimiser stops at a local optimum, or a uniqueness hits the bound 0.005) and
# tests/reference/measures/efa_ml.json, plus Bartlett-score CSVs scores_bartlett_*.csv.
suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(jsonlite)
})
data_dir <- "tests/reference/data"
ref_dir <- "tests/reference/measures"

ml_ref <- function(x, nf) {
  best <- factanal(x, factors = nf, rotation = "none",
                   control = list(nstart = 50, lower = 0.005))
  one <- factanal(x, factors = nf, rotation = "none", control = list(nstart = 1, lower = 0.005))
  list(n = nrow(x), n_factors = nf, items = colnames(x),
       objective = unname(best$criteria["objective"]),
       single_start_objective = unname(one$criteria["objective"]),
       uniquenesses = as.list(best$uniquenesses))
}

# Simulated data sets: 3 factors, 6-10 items, 40-120 cases (few cases per item make local
# optima and Heywood cases common). Keep the first three with a local optimum from one start.
set.seed(1)
cases <- list()
found <- 0
for (i in 1:200) {
  p <- sample(6:10, 1); nf <- 3; n <- sample(40:120, 1)
  L <- matrix(runif(p * nf, -0.2, 0.95), p, nf)
  X <- matrix(rnorm(n * nf), n, nf) %*% t(L) + matrix(rnorm(n * p), n, p) * 0.5
  colnames(X) <- paste0("x", seq_len(p))
  ref <- try(ml_ref(as.data.frame(X), nf), silent = TRUE)
  if (inherits(ref, "try-error")) next
  if (ref$single_start_objective > ref$objective + 1e-4) {
    found <- found + 1
    name <- sprintf("measures_mlhard_%d.csv", found)
    write.csv(round(X, 6), file.path(data_dir, name), row.names = FALSE)
    X <- read.csv(file.path(data_dir, name))
    ref <- ml_ref(X, nf)
    ref$data <- name
    cases[[sprintf("local_optimum_%d", found)]] <- ref
  }
  if (found == 3) break
}

# A Heywood case on published data: attitude with three factors.
data(attitude, package = "datasets")
heywood <- ml_ref(attitude, 3)
heywood$data <- "measures_attitude.csv"
cases[["attitude_heywood"]] <- heywood
# An ordinary case for contrast.
bfi <- read.csv(file.path(data_dir, "measures_bfi.csv"))
b15 <- na.omit(bfi[, c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5))])
ordinary <- ml_ref(b15, 3)
ordinary$data <- "measures_bfi.csv"
cases[["bfi15_ordinary"]] <- ordinary

# Bartlett factor scores: psych::factor.scores(x, loadings, Phi, method = "Bartlett"). The
# loadings are passed as a matrix: given the fa object of a one-factor solution, psych
# silently switches to regression (Thurstone) scores.
bartlett <- list()
score_case <- function(key, file, items, nf, fm, rotate) {
  x <- na.omit(read.csv(file.path(data_dir, file))[, items])
  f <- fa(x, nfactors = nf, fm = fm, rotate = rotate, warnings = FALSE)
  s <- factor.scores(x, unclass(f$loadings), Phi = f$Phi, method = "Bartlett")
  out <- data.frame(row = as.integer(rownames(x)) - 1L, s$scores)
  write.csv(out, file.path(ref_dir, sprintf("scores_bartlett_%s.csv", key)), row.names = FALSE)
  bartlett[[key]] <<- list(data = file, items = items, n_factors = nf, method = fm,
                           rotation = rotate, weights = unname(as.matrix(s$weights)),
                           factors = colnames(s$weights))
}
score_case("attitude_ml_varimax", "measures_attitude.csv", colnames(attitude), 2, "ml", "varimax")
score_case("attitude_minres_none", "measures_attitude.csv", colnames(attitude), 1, "minres", "none")
score_case("bfi15_minres_oblimin", "measures_bfi.csv", colnames(b15), 3, "minres", "oblimin")
score_case("teacher_pa_none", "measures_teacher.csv", c("praise", "talk", "care"), 1, "pa", "none")

# An independent implementation: stats::factanal's Bartlett scores (ML, one factor).
att_fa <- factanal(attitude, factors = 1, scores = "Bartlett")
write.csv(data.frame(row = seq_len(nrow(attitude)) - 1L, ML1 = att_fa$scores[, 1]),
          file.path(ref_dir, "scores_bartlett_attitude_ml_factanal.csv"), row.names = FALSE)

write_json(list(ml = cases, bartlett = bartlett), file.path(ref_dir, "efa_ml.json"),
           auto_unbox = TRUE, digits = NA, pretty = TRUE)
