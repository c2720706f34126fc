# Reference values for fit_ols on numerically hard data, computed with base R (lm, pivoted QR
# with tol 1e-7), sandwich (vcovHC, vcovCL), lmtest (coeftest, coefci, waldtest) and car
# (linearHypothesis).
#
# Run from the repository root:   Rscript tests/reference/models/numerics.R
#
# Writes the input data to tests/reference/data/numerics_*.csv, reads it back (so R and Python
# compute from exactly the same numbers) and writes tests/reference/models/numerics.json.
# Cases: datasets::longley (ill-conditioned), carData::Prestige and carData::Duncan, a predictor
# with a Unix-timestamp offset, a column 1e9 + small variation, aliased columns, a category
# with one member (leverage one) and cluster-robust F tests with 2 to 8 clusters.

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
  library(car)
  library(jsonlite)
})

data_dir <- file.path("tests", "reference", "data")
out_dir <- file.path("tests", "reference", "models")

write_back <- function(df, name) {
  path <- file.path(data_dir, paste0("numerics_", name, ".csv"))
  write.csv(df, path, row.names = FALSE, na = "")
  read.csv(path)
}

# ---------------------------------------------------------------- data sets
lo <- longley
names(lo) <- gsub(".", "_", names(lo), fixed = TRUE)
lo <- write_back(lo, "longley")

pr <- data.frame(occupation = rownames(carData::Prestige), carData::Prestige)
pr <- write_back(pr, "prestige")
pr$type <- factor(pr$type, levels = c("bc", "prof", "wc"))

du <- data.frame(occupation = rownames(carData::Duncan), carData::Duncan)
du <- write_back(du, "duncan")
du$type <- factor(du$type, levels = c("bc", "prof", "wc"))

# Unix timestamps over one month (offset 1.6e9), a column 1e9 + U(0, 1000) whose variation is
# 3e-7 of its size (lm still fits it: its tolerance is 1e-7), and a copy-like column
# 1e9 + U(0, 10) that lm judges aliased with the intercept.
set.seed(20240229)
n <- 80
stamp <- 1.6e9 + round(runif(n, 0, 30 * 86400))
big <- 1e9 + runif(n, 0, 1000)
tiny <- 1e9 + runif(n, 0, 10)
x <- rnorm(n)
g <- rep(1:8, length.out = n)
y <- 4 + 3e-6 * (stamp - 1.6e9) + 0.002 * (big - 1e9) + 0.8 * x + rnorm(n, 0, 1 + abs(x))
offset <- write_back(data.frame(y = y, stamp = stamp, big = big, tiny = tiny, x = x, g = g,
                                x2 = 2 * x - 1), "offset")

# A category with a single member (its case has leverage one) next to two ordinary ones.
set.seed(7)
m <- 41
grp <- c(rep("a", 20), rep("b", 20), "c")
z <- rnorm(m)
# grp2: a category with two members in an interaction with z (both have leverage one).
lev <- write_back(data.frame(y = 1 + 0.5 * z + (grp == "b") + rnorm(m) * (1 + abs(z)), z = z,
                             grp = grp, grp2 = c(rep("a", 19), rep("b", 20), "c", "c"),
                             s = rep(1:6, length.out = m)), "leverage")
lev$grp <- factor(lev$grp, levels = c("a", "b", "c"))

# Five predictors for cluster-robust joint F tests with 2 to 8 clusters.
set.seed(11)
k <- 60
cl <- data.frame(matrix(rnorm(k * 5), k, 5, dimnames = list(NULL, paste0("x", 1:5))))
cl$y <- with(cl, 1 + 0.4 * x1 - 0.3 * x2 + 0.2 * x5 + rnorm(k))
for (G in 2:8) cl[[paste0("g", G)]] <- rep(seq_len(G), length.out = k)
cl <- write_back(cl, "clusters")

# ---------------------------------------------------------------- helpers
py_name <- function(r) {
  r <- sub("^\\(Intercept\\)$", "Intercept", r)
  r <- gsub("^type(prof|wc)$", "C(type, Treatment('bc'))[T.\\1]", r)
  r <- gsub("^grp(b|c)$", "C(grp, Treatment('a'))[T.\\1]", r)
  r <- gsub("grp2(b|c)", "C(grp2, Treatment('a'))[T.\\1]", r)
  r <- sub("^log2\\(income\\)$", "np.log2(income)", r)
  r
}

plain_vcov <- function(fit, se, cluster = NULL) {
  if (se == "classical") return(vcov(fit))
  if (se %in% c("HC0", "HC1", "HC2", "HC3")) return(vcovHC(fit, type = se))
  vcovCL(fit, cluster = cluster, type = "HC1", cadjust = TRUE)
}

# sandwich forms X' diag(w) X from the raw design, which loses digits when columns carry large
# offsets (with 1e9 offsets only about 3 digits of the HC standard errors are right). So the
# robust covariances are computed on the equivalent fit with centred design columns (same
# residuals and hat values) and mapped back: b = M b_c with M = I except M[1, j] = -mean(X_j).
vcov_of <- function(fit, se, cluster = NULL) {
  if (se == "classical") return(vcov(fit))
  X <- model.matrix(fit)
  stopifnot(colnames(X)[1] == "(Intercept)")
  m <- c(0, colMeans(X)[-1])
  Xc <- sweep(X, 2, m)
  yc <- model.response(model.frame(fit))
  cfit <- lm(yc ~ 0 + Xc)
  M <- diag(ncol(X))
  M[1, -1] <- -m[-1]
  V <- M %*% plain_vcov(cfit, se, cluster) %*% t(M)
  dimnames(V) <- list(colnames(X), colnames(X))
  V
}

# largest relative difference between the standard errors of the two routes (for the record)
route_gap <- function(fit, se, cluster = NULL) {
  a <- sqrt(diag(plain_vcov(fit, se, cluster)))
  b <- sqrt(diag(vcov_of(fit, se, cluster)))
  max(abs(a - b) / abs(b))
}

coef_table <- function(fit, V) {
  ct <- coeftest(fit, vcov. = V)
  ci <- coefci(fit, vcov. = V, level = 0.95)
  out <- lapply(seq_len(nrow(ct)), function(i) list(
    b = unname(ct[i, 1]), se = unname(ct[i, 2]), t = unname(ct[i, 3]), p = unname(ct[i, 4]),
    ci_low = unname(ci[i, 1]), ci_high = unname(ci[i, 2])))
  names(out) <- py_name(rownames(ct))
  out
}

# Joint F that every non-intercept coefficient is zero with covariance V: waldtest, and
# car::linearHypothesis as a second implementation.
joint_f <- function(fit, V) {
  wt <- waldtest(fit, vcov = V, test = "F")
  lh <- linearHypothesis(fit, names(coef(fit))[-1], vcov. = V, test = "F")
  stopifnot(abs(wt$F[2] - lh$F[2]) <= 1e-9 * abs(lh$F[2]))
  list(f_stat = lh$F[2], f_p = lh$`Pr(>F)`[2], df_model = lh$Df[2])
}

fit_case <- function(name, data, r_formula, py_formula, se, cluster = NULL) {
  fit <- do.call("lm", list(formula = r_formula, data = data))
  stopifnot(!anyNA(coef(fit)))
  stopifnot(is.null(cluster) || nobs(fit) == nrow(data))
  groups <- if (is.null(cluster)) NULL else data[[cluster]]
  V <- vcov_of(fit, se, groups)
  s <- summary(fit)
  Vn <- V
  dimnames(Vn) <- list(py_name(rownames(V)), py_name(colnames(V)))
  c(list(name = name, formula = py_formula, se = if (is.null(cluster)) se else paste0("cluster:", cluster),
         n = nobs(fit), df_resid = fit$df.residual, r2 = s$r.squared, adj_r2 = s$adj.r.squared,
         coefficients = coef_table(fit, V), plain_sandwich_gap = route_gap(fit, se, groups),
         vcov = lapply(seq_len(nrow(Vn)), function(i) unname(Vn[i, ])), vcov_terms = rownames(Vn)),
    joint_f(fit, V))
}

cases <- list()
add <- function(...) cases[[length(cases) + 1]] <<- fit_case(...)
hc <- c("classical", "HC0", "HC1", "HC2", "HC3")

lo_f <- Employed ~ GNP_deflator + GNP + Unemployed + Armed_Forces + Population + Year
for (se in hc) add(paste0("longley_", se), lo, lo_f,
                   "Employed ~ GNP_deflator + GNP + Unemployed + Armed_Forces + Population + Year", se)

pr_f <- prestige ~ education + log2(income) + women + type
for (se in hc) add(paste0("prestige_", se), pr, pr_f,
                   "prestige ~ education + np.log2(income) + women + C(type, Treatment('bc'))", se)

du_f <- prestige ~ income + education + type
for (se in hc) add(paste0("duncan_", se), du, du_f,
                   "prestige ~ income + education + C(type, Treatment('bc'))", se)

off_f <- y ~ stamp + big + x
for (se in hc) add(paste0("offset_", se), offset, off_f, "y ~ stamp + big + x", se)
add("offset_cluster", offset, off_f, "y ~ stamp + big + x", "cluster", "g")

for (se in c("classical", "HC0", "HC1")) add(paste0("leverage_", se), lev, y ~ z + grp,
                                             "y ~ z + C(grp, Treatment('a'))", se)

for (G in 6:8) add(paste0("clusters_g", G), cl, y ~ x1 + x2 + x3 + x4 + x5,
                   "y ~ x1 + x2 + x3 + x4 + x5", "cluster", paste0("g", G))

# ---------------------------------------------------------------- aliased columns (lm gives NA)
aliased_case <- function(r_formula, py_formula, data) {
  fit <- do.call("lm", list(formula = r_formula, data = data))
  list(formula = py_formula, aliased = py_name(names(coef(fit))[is.na(coef(fit))]))
}
aliased <- list(
  aliased_case(y ~ tiny + x, "y ~ tiny + x", offset),
  aliased_case(y ~ x + stamp + x2, "y ~ x + stamp + x2", offset),
  aliased_case(y ~ big + x + tiny, "y ~ big + x + tiny", offset))

# ---------------------------------------------------------------- leverage one (HC2, HC3)
# Plain vcovHC: a case with hat value 1 has residual 0, so its HC2/HC3 weight is 0/0 and R
# returns NaN. The defined part is computed by giving such cases weight zero (omega); the
# undefined coefficients are found by another route: those that move when the outcome of a
# leverage-one case is changed (the case alone determines them).
leverage_case <- function(r_formula, py_formula) {
  fit <- do.call("lm", list(formula = r_formula, data = lev))
  h <- hatvalues(fit)
  unit <- which(h > 1 - sqrt(.Machine$double.eps))
  X <- model.matrix(fit)
  moved <- sapply(unit, function(i) {
    yy <- lev$y
    yy[i] <- yy[i] + 1
    abs(lm.fit(X, yy)$coefficients - coef(fit)) > 1e-8 * (1 + abs(coef(fit)))
  })
  undefined <- py_name(colnames(X)[apply(as.matrix(moved), 1, any)])
  out <- list(formula = py_formula, rows = I(unname(unit - 1)), hat = I(unname(h[unit])),
              undefined = I(undefined))
  for (type in c("HC2", "HC3")) {
    power <- if (type == "HC2") 1 else 2
    om <- function(res, diaghat, df) ifelse(seq_along(res) %in% unit, 0, res^2 / (1 - diaghat)^power)
    se <- sqrt(diag(vcovHC(fit, omega = om)))
    names(se) <- py_name(names(se))
    se[names(se) %in% undefined] <- NA
    plain_se <- sqrt(diag(vcovHC(fit, type = type)))
    names(plain_se) <- py_name(names(plain_se))
    out[[type]] <- list(se = as.list(se), plain_vcovHC_se = lapply(as.list(plain_se), function(v)
      if (is.finite(v)) v else as.character(v)))
  }
  out
}
leverage <- list(
  single = leverage_case(y ~ z + grp, "y ~ z + C(grp, Treatment('a'))"),
  pair = leverage_case(y ~ z * grp2, "y ~ z * C(grp2, Treatment('a'))"))

# ---------------------------------------------------------------- cluster-robust joint F
# With G clusters vcovCL has rank at most G - 1; for 5 tested coefficients the F test exists
# only from 6 clusters on (the defined ones are cases clusters_g6 .. clusters_g8 above).
cfit <- lm(y ~ x1 + x2 + x3 + x4 + x5, data = cl)
cluster_rank <- lapply(2:8, function(G) {
  V <- vcovCL(cfit, cluster = cl[[paste0("g", G)]], type = "HC1", cadjust = TRUE)[-1, -1]
  ev <- eigen(cov2cor(V), symmetric = TRUE, only.values = TRUE)$values
  list(G = G, tested = ncol(V), rank = sum(ev > 1e-7 * max(ev)))
})
dfit <- do.call("lm", list(formula = du_f, data = du))
Vd <- vcovCL(dfit, cluster = du$type, type = "HC1", cadjust = TRUE)[-1, -1]
ev <- eigen(cov2cor(Vd), symmetric = TRUE, only.values = TRUE)$values
duncan_cluster <- list(formula = "prestige ~ income + education + C(type, Treatment('bc'))",
                       cluster = "type", G = nlevels(du$type), tested = ncol(Vd),
                       rank = sum(ev > 1e-7 * max(ev)),
                       coefficients = coef_table(dfit, vcovCL(dfit, cluster = du$type, type = "HC1",
                                                              cadjust = TRUE)))

# ---------------------------------------------------------------- nested blocks (anova F-change)
nested_case <- function(data, r_formulas, blocks_in) {
  fits <- lapply(r_formulas, function(f) lm(f, data = data))
  prev <- c(list(lm(update(r_formulas[[1]], . ~ 1), data = data)), fits[-length(fits)])
  list(blocks_in = blocks_in, n = nobs(fits[[1]]), blocks = lapply(seq_along(fits), function(i) {
    a <- anova(prev[[i]], fits[[i]])
    r2_prev <- if (i == 1) 0 else summary(prev[[i]])$r.squared
    list(r2 = summary(fits[[i]])$r.squared, delta_r2 = summary(fits[[i]])$r.squared - r2_prev,
         f_change = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p_change = a$`Pr(>F)`[2])
  }))
}
nested <- list(
  longley = nested_case(lo, list(Employed ~ GNP_deflator + GNP,
                                 Employed ~ GNP_deflator + GNP + Unemployed + Armed_Forces,
                                 Employed ~ GNP_deflator + GNP + Unemployed + Armed_Forces + Population + Year),
                        c("Employed ~ GNP_deflator + GNP", "+ Unemployed + Armed_Forces", "+ Population + Year")),
  offset = nested_case(offset, list(y ~ x, y ~ x + stamp + big), c("y ~ x", "+ stamp + big")))

ref <- list(generated_by = "tests/reference/models/numerics.R", r_version = R.version.string,
            sandwich_version = as.character(packageVersion("sandwich")),
            car_version = as.character(packageVersion("car")),
            cases = cases, aliased = aliased, leverage = leverage,
            cluster_rank = cluster_rank, duncan_cluster = duncan_cluster, nested = nested)
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           file.path(out_dir, "numerics.json"))
cat("wrote", file.path(out_dir, "numerics.json"), "\n")
