# Reference values for leftbehind.measures, computed with R's psych package.
#
# Run from the repository root:
#     Rscript tests/reference/measures/make_reference.R
#
# Writes the input data sets to tests/reference/data/measures_*.csv and the reference values to
# tests/reference/measures/*.json (and factor-score CSVs). The Python tests read both.
suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(jsonlite)
})

data_dir <- "tests/reference/data"
ref_dir <- "tests/reference/measures"
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(ref_dir, showWarnings = FALSE, recursive = TRUE)

write_data <- function(df, name) {
  write.csv(df, file.path(data_dir, name), row.names = FALSE, na = "")
}
write_ref <- function(x, name) {
  write_json(x, file.path(ref_dir, name), auto_unbox = TRUE, digits = NA, pretty = TRUE)
}

# ---------------------------------------------------------------- data sets
data(bfi, package = "psych")
bfi_items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5),
               paste0("O", 1:5))
bfi_out <- data.frame(id = seq_len(nrow(bfi)), bfi[, bfi_items])
write_data(bfi_out, "measures_bfi.csv")

data(attitude, package = "datasets")
write_data(attitude, "measures_attitude.csv")

# A 6-item depression scale (responses 1-5) and a 3-item teacher-attitude scale (1-4), simulated
# from one common factor; some depression answers are missing to exercise scale scoring.
set.seed(20240611)
n_dep <- 300
g <- rnorm(n_dep)
dep <- sapply(1:6, function(j) {
  z <- 0.75 * g + sqrt(1 - 0.75^2) * rnorm(n_dep)
  as.integer(cut(z, breaks = c(-Inf, -1.2, -0.4, 0.4, 1.2, Inf)))
})
colnames(dep) <- paste0("dep", 1:6)
dep_missing <- dep
miss_rows <- sample(n_dep, 40)
for (r in miss_rows) {
  k <- sample(1:2, 1)
  dep_missing[r, sample(1:6, k)] <- NA
}
dep_df <- data.frame(id = seq_len(n_dep), dep_missing)
write_data(dep_df, "measures_depression.csv")

n_t <- 250
h <- rnorm(n_t)
teach <- sapply(c(0.8, 0.7, 0.6), function(l) {
  z <- l * h + sqrt(1 - l^2) * rnorm(n_t)
  as.integer(cut(z, breaks = c(-Inf, -0.8, 0.1, 0.9, Inf)))
})
colnames(teach) <- c("praise", "talk", "care")
write_data(data.frame(id = seq_len(n_t), teach), "measures_teacher.csv")

# ---------------------------------------------------------------- scale scores
dep_items <- paste0("dep", 1:6)
answered <- rowSums(!is.na(dep_missing))
scores <- data.frame(
  id = seq_len(n_dep),
  sum_all = ifelse(answered == 6, rowSums(dep_missing), NA),
  mean_all = ifelse(answered == 6, rowMeans(dep_missing), NA),
  sum_min5 = ifelse(answered >= 5, rowSums(dep_missing, na.rm = TRUE), NA),
  mean_min5 = ifelse(answered >= 5, rowMeans(dep_missing, na.rm = TRUE), NA),
  prorated_min5 = ifelse(answered >= 5, 6 * rowMeans(dep_missing, na.rm = TRUE), NA)
)
write.csv(scores, file.path(ref_dir, "scale_scores.csv"), row.names = FALSE, na = "")

# ---------------------------------------------------------------- reliability
alpha_ref <- function(x) {
  a <- psych::alpha(x, warnings = FALSE)
  items <- list()
  for (it in colnames(x)) {
    items[[it]] <- list(
      alpha_if_deleted = a$alpha.drop[it, "raw_alpha"],
      std_alpha_if_deleted = a$alpha.drop[it, "std.alpha"],
      item_rest_r = a$item.stats[it, "r.drop"],
      item_total_r = a$item.stats[it, "raw.r"],
      item_std_r = a$item.stats[it, "std.r"],
      mean = a$item.stats[it, "mean"],
      sd = a$item.stats[it, "sd"]
    )
  }
  list(n = nrow(x), k = ncol(x), alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
       average_r = a$total$average_r, ase = a$total$ase,
       total_mean = a$total$mean, total_sd = a$total$sd,
       feldt = unname(as.numeric(c(a$feldt$lower.ci, a$feldt$upper.ci))),
       duhachek = c(a$total$raw_alpha - 1.96 * a$total$ase, a$total$raw_alpha + 1.96 * a$total$ase),
       items = items)
}
N <- paste0("N", 1:5)
alpha_cases <- list(
  bfi_N_listwise = list(data = "measures_bfi.csv", items = N, listwise = TRUE,
                        result = alpha_ref(na.omit(bfi[, N]))),
  bfi_N_pairwise = list(data = "measures_bfi.csv", items = N, listwise = FALSE,
                        result = alpha_ref(bfi[, N])),
  bfi_E_listwise = list(data = "measures_bfi.csv", items = paste0("E", 3:5), listwise = TRUE,
                        result = alpha_ref(na.omit(bfi[, paste0("E", 3:5)]))),
  depression = list(data = "measures_depression.csv", items = dep_items, listwise = TRUE,
                    result = alpha_ref(na.omit(dep_missing))),
  attitude = list(data = "measures_attitude.csv", items = colnames(attitude), listwise = TRUE,
                  result = alpha_ref(attitude))
)
write_ref(alpha_cases, "alpha.json")

# McDonald's omega total from a one-factor minres model: (sum l)^2 / ((sum l)^2 + sum u2)
omega_ref <- function(x) {
  f <- fa(x, nfactors = 1, fm = "minres", rotate = "none", warnings = FALSE)
  l <- as.vector(f$loadings)
  u2 <- 1 - l^2
  list(omega_total = sum(l)^2 / (sum(l)^2 + sum(u2)), loadings = l)
}
omega_cases <- list(
  bfi_N = list(data = "measures_bfi.csv", items = N, result = omega_ref(na.omit(bfi[, N]))),
  depression = list(data = "measures_depression.csv", items = dep_items,
                    result = omega_ref(na.omit(dep_missing))),
  teacher = list(data = "measures_teacher.csv", items = colnames(teach),
                 result = omega_ref(teach))
)
write_ref(omega_cases, "omega.json")

# ---------------------------------------------------------------- factor analysis
efa_ref <- function(x, nf, fm, rotate) {
  f <- fa(x, nfactors = nf, fm = fm, rotate = rotate, scores = "regression", warnings = FALSE)
  L <- unclass(f$loadings)
  loadings <- lapply(seq_len(nrow(L)), function(i) I(as.vector(L[i, ])))
  names(loadings) <- rownames(L)
  vacc <- f$Vaccounted
  res <- list(
    factor_names = I(colnames(L)),
    loadings = loadings,
    communalities = as.list(setNames(as.vector(f$communality), rownames(L))),
    uniquenesses = as.list(setNames(as.vector(f$uniquenesses), rownames(L))),
    ss_loadings = I(as.vector(vacc["SS loadings", ])),
    proportion = I(as.vector(vacc["Proportion Var", ])),
    phi = if (is.null(f$Phi)) NULL else lapply(seq_len(nf), function(i) as.vector(f$Phi[i, ])),
    e_values = f$e.values
  )
  res
}
efa_case <- function(x, nf, data, items, keep_scores = FALSE, tag = "") {
  out <- list(data = data, items = items, n_factors = nf, n = nrow(x), results = list())
  k <- KMO(x)
  b <- cortest.bartlett(cor(x), n = nrow(x))
  out$kmo <- list(overall = k$MSA, items = as.list(k$MSAi))
  out$bartlett <- list(chi2 = b$chisq, df = b$df, p = b$p.value)
  rotations <- if (nf == 1) c("none") else c("none", "varimax", "oblimin", "promax")
  for (fm in c("minres", "ml", "pa")) {
    for (rot in rotations) {
      key <- paste(fm, rot, sep = "_")
      out$results[[key]] <- efa_ref(x, nf, fm, rot)
      if (keep_scores) {
        f <- fa(x, nfactors = nf, fm = fm, rotate = rot, scores = "regression", warnings = FALSE)
        sc <- as.data.frame(round(f$scores, 10))
        write.csv(sc, file.path(ref_dir, paste0("scores_", tag, "_", key, ".csv")),
                  row.names = FALSE)
      }
    }
  }
  out
}
bfi15_items <- c(paste0("N", 1:5), paste0("E", 1:5), paste0("A", 1:5))
bfi15 <- na.omit(bfi[, bfi15_items])
efa_cases <- list(
  bfi15 = efa_case(bfi15, 3, "measures_bfi.csv", bfi15_items),
  attitude = efa_case(attitude, 2, "measures_attitude.csv", colnames(attitude),
                      keep_scores = TRUE, tag = "attitude"),
  teacher = efa_case(teach, 1, "measures_teacher.csv", colnames(teach),
                     keep_scores = TRUE, tag = "teacher")
)
write_ref(efa_cases, "efa.json")

# Factor scores for the large data set: two combinations only (keeps the files small).
for (combo in list(c("minres", "oblimin"), c("ml", "varimax"), c("pa", "promax"))) {
  f <- fa(bfi15, nfactors = 3, fm = combo[1], rotate = combo[2], scores = "regression",
          warnings = FALSE)
  write.csv(as.data.frame(round(f$scores, 10)),
            file.path(ref_dir, paste0("scores_bfi15_", combo[1], "_", combo[2], ".csv")),
            row.names = FALSE)
}

# ---------------------------------------------------------------- number of factors
options(mc.cores = 1)  # fa.parallel simulates with mclapply; one core keeps the RNG stream fixed
par_ref <- function(x) {
  set.seed(1)
  p <- fa.parallel(x, fa = "pc", n.iter = 200, plot = FALSE)
  list(eigenvalues = eigen(cor(x))$values, kaiser = sum(eigen(cor(x))$values > 1),
       pc_sim_mean = p$pc.sim, ncomp = p$ncomp)
}
parallel_cases <- list(
  bfi15 = c(list(data = "measures_bfi.csv", items = bfi15_items), par_ref(bfi15)),
  attitude = c(list(data = "measures_attitude.csv", items = colnames(attitude)),
               par_ref(attitude))
)
write_ref(parallel_cases, "parallel.json")
cat("reference values written\n")
