# Reference strings for leftbehind.present.numfmt.fmt: what R's sprintf("%.<d>f") and
# formatC(format = "f") print. Re-run from the repository root:
#   Rscript tests/reference/present/numfmt.R
# Values are stored as "%.17g" text so Python reads back the very same doubles.
library(jsonlite)

fixed <- list(
  list(x = c(0.0005, 0.0015, 0.0025, 0.0035, 1.0005, 2.675, 2.0845, 11.4333, 13.5517,
             0.125, 0.375, -0.0004, -0.0005, -0.0006, 1e-10, 123456.789, -1.797, 605,
             0.99950, 0.99949, 1e15 + 0.3), digits = 3),
  list(x = c(0.125, 0.375, 2.675, 1.005, 43.045, 56.955, -0.004, 92.535), digits = 2),
  list(x = c(0.5, 1.5, 2.5, -0.5, -2.5, 3.49999), digits = 0),
  list(x = c(0.00435, 0.0608, -0.0429, 0.12345678), digits = 4)
)

set.seed(20231113)
random <- list(
  list(x = round(rnorm(200, sd = 5), 6), digits = 3),        # many exact ties in decimal
  list(x = rnorm(200) * 10^sample(-4:4, 200, TRUE), digits = 3),
  list(x = runif(100), digits = 2)
)

cases <- list()
for (block in c(fixed, random)) {
  for (x in block$x) {
    cases[[length(cases) + 1]] <- list(
      x = sprintf("%.17g", x),
      digits = block$digits,
      sprintf = sprintf(paste0("%.", block$digits, "f"), x),
      formatC = formatC(x, format = "f", digits = block$digits)
    )
  }
}

out <- list(
  generator = "tests/reference/present/numfmt.R",
  r_version = R.version.string,
  cases = cases
)
writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE), "tests/reference/present/numfmt.json")
