# Reference values for leftbehind.mixed.exact: R's fisher.test on small r x c tables.
# Run from the repository root: Rscript tests/reference/mixed/fisher.R
library(jsonlite)
tables <- list(
  t2x2 = matrix(c(3, 1, 1, 3), nrow = 2, byrow = TRUE),
  tea = matrix(c(3, 1, 1, 3), nrow = 2),
  t2x4 = matrix(c(5, 1, 3, 0, 2, 6, 4, 7), nrow = 2, byrow = TRUE),
  t3x3 = matrix(c(2, 0, 3, 1, 4, 1, 0, 2, 5), nrow = 3, byrow = TRUE),
  t2x3_zero = matrix(c(0, 4, 2, 6, 1, 3), nrow = 2, byrow = TRUE),
  t2x2_big = matrix(c(12, 5, 7, 20), nrow = 2, byrow = TRUE)
)
out <- lapply(tables, function(m) list(table = unname(split(m, row(m))), p_value = fisher.test(m)$p.value))
write_json(out, "tests/reference/mixed/fisher.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
