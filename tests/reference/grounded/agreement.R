# Reference values for leftbehind.grounded.agreement (character and segment basis, two coders).
# Run from the repository root:  Rscript tests/reference/grounded/agreement.R
# Writes tests/reference/grounded/agreement_codings.csv, agreement_documents.csv (inputs both
# sides read) and agreement.json (kappa from psych::cohen.kappa; Krippendorff's nominal alpha
# from the coincidence matrix as in Krippendorff (2011) "Computing Krippendorff's
# Alpha-Reliability", section C; percent agreement by counting).
suppressPackageStartupMessages({library(psych); library(jsonlite)})
set.seed(20240611)
out <- "tests/reference/grounded"
docs <- data.frame(document = c("d1", "d2", "d3"), length = c(400L, 250L, 330L))
codes <- c("missing_parents", "phone_calls", "grandparent_care", "school")
rows <- list()
for (d in seq_len(nrow(docs))) for (code in codes) for (coder in c("A", "B")) {
  k <- sample(1:4, 1)
  for (i in seq_len(k)) {
    s <- sample(0:(docs$length[d] - 30), 1); e <- s + sample(5:60, 1)
    e <- min(e, docs$length[d])
    rows[[length(rows) + 1]] <- data.frame(document = docs$document[d], start = s, end = e,
                                           code = code, coder = coder)
  }
}
codings <- do.call(rbind, rows)
write.csv(codings, file.path(out, "agreement_codings.csv"), row.names = FALSE)
write.csv(docs, file.path(out, "agreement_documents.csv"), row.names = FALSE)

# Character vectors: 1 if the character lies in one of the coder's segments of the code.
char_vector <- function(code, coder) {
  unlist(lapply(seq_len(nrow(docs)), function(d) {
    v <- integer(docs$length[d])
    sub <- codings[codings$document == docs$document[d] & codings$code == code & codings$coder == coder, ]
    for (r in seq_len(nrow(sub))) if (sub$end[r] > sub$start[r]) v[(sub$start[r] + 1):sub$end[r]] <- 1L
    v
  }))
}
# Segment units: pieces between all coding boundaries that some coding covers.
piece_vector <- function(code, coder) {
  unlist(lapply(seq_len(nrow(docs)), function(d) {
    sub <- codings[codings$document == docs$document[d], ]
    cuts <- sort(unique(c(0, docs$length[d], sub$start, sub$end)))
    lo <- head(cuts, -1); hi <- tail(cuts, -1)
    any_cover <- sapply(seq_along(lo), function(p) any(sub$start <= lo[p] & sub$end >= hi[p]))
    mine <- sub[sub$code == code & sub$coder == coder, ]
    v <- sapply(seq_along(lo), function(p) as.integer(any(mine$start <= lo[p] & mine$end >= hi[p])))
    v[any_cover]
  }))
}
kalpha <- function(a, b) {   # nominal alpha, two coders, no missing values: coincidence matrix
  vals <- sort(unique(c(a, b)))
  o <- matrix(0, length(vals), length(vals))
  for (i in seq_along(vals)) for (j in seq_along(vals))
    o[i, j] <- sum(a == vals[i] & b == vals[j]) + sum(b == vals[i] & a == vals[j])
  n_c <- rowSums(o); n <- sum(n_c)
  d_o <- sum(o) - sum(diag(o))
  d_e <- (n^2 - sum(n_c^2))
  1 - (n - 1) * d_o / d_e
}
stats <- function(a, b) list(percent_agreement = mean(a == b),
                             kappa = cohen.kappa(cbind(a, b))$kappa,
                             krippendorff_alpha = kalpha(a, b))
result <- list()
for (basis in c("character", "segment")) {
  f <- if (basis == "character") char_vector else piece_vector
  per <- list(); A <- c(); B <- c()
  for (code in codes) {
    a <- f(code, "A"); b <- f(code, "B")
    per[[code]] <- stats(a, b); A <- c(A, a); B <- c(B, b)
  }
  result[[basis]] <- list(overall = stats(A, B), codes = per)
}
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, "agreement.json"))
