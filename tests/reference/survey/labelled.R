# Reference values for reading labelled SPSS and Stata files (leftbehind.survey.read_data).
# Run from the repository root, after python tests/reference/survey/make_labelled.py:
#   Rscript tests/reference/survey/labelled.R
# Reads tests/reference/survey/labelled_{bfi,edge}.{sav,dta} with haven (user-missing codes and
# ranges of the .sav and Stata's .a-.z become NA, as haven::read_sav / read_dta do by default)
# and writes tests/reference/survey/labelled.json: variable labels, value labels, n / mean / SD
# of every variable, psych::alpha on the complete cases, an lm() with a labelled factor, and the
# mean / SD / n of the outcome by the labelled group.
library(haven)
library(jsonlite)

dir <- "tests/reference/survey"
cases <- list(
  labelled_bfi = list(items = paste0("N", 1:5), group = "care", outcome = "N1",
                      formula = N1 ~ factor(care) + A2 + N2, py_formula = "N1 ~ C(care) + A2 + N2"),
  labelled_edge = list(items = c("e1", "e2", "e3"), group = "g", outcome = "e1",
                       formula = e1 ~ factor(g) + e2, py_formula = "e1 ~ C(g) + e2")
)

py_term <- function(name, group) {
  if (name == "(Intercept)") return("Intercept")
  prefix <- paste0("factor(", group, ")")
  if (startsWith(name, prefix)) {
    return(sprintf("C(%s)[T.%s.0]", group, substring(name, nchar(prefix) + 1)))
  }
  name
}

num <- function(x) if (length(x) == 0 || is.na(x)) NULL else unbox(x)

describe_file <- function(path, case) {
  data <- if (endsWith(path, ".sav")) read_sav(path) else read_dta(path)
  labels <- list()
  values <- list()
  stats <- list()
  for (name in names(data)) {
    x <- data[[name]]
    lab <- attr(x, "label")
    if (!is.null(lab) && nzchar(lab)) labels[[name]] <- unbox(lab)
    vl <- attr(x, "labels")
    if (!is.null(vl)) {
      keep <- !is.na(vl)  # Stata's labels of .a-.z are tagged NA: they name missing values
      codes <- as.numeric(vl[keep])
      values[[name]] <- lapply(as.list(setNames(names(vl)[keep], format(codes, trim = TRUE, scientific = FALSE))), unbox)
    }
    v <- as.numeric(zap_labels(x))
    ok <- v[!is.na(v)]
    stats[[name]] <- list(n = unbox(length(ok)), mean = num(if (length(ok)) mean(ok) else NA),
                          sd = num(if (length(ok) > 1) sd(ok) else NA))
  }
  plain <- as.data.frame(lapply(data, function(x) as.numeric(zap_labels(x))))
  complete <- na.omit(plain[, case$items])
  a <- psych::alpha(complete, warnings = FALSE)
  fit <- lm(case$formula, data = plain)
  s <- summary(fit)$coefficients
  coefs <- list()
  for (i in seq_len(nrow(s))) {
    coefs[[py_term(rownames(s)[i], case$group)]] <- list(b = unbox(s[i, 1]), se = unbox(s[i, 2]),
                                                         t = unbox(s[i, 3]), p = unbox(s[i, 4]))
  }
  group_labels <- attr(data[[case$group]], "labels")
  by_group <- list()
  for (code in sort(unique(na.omit(plain[[case$group]])))) {
    y <- plain[[case$outcome]][!is.na(plain[[case$group]]) & plain[[case$group]] == code]
    y <- y[!is.na(y)]
    name <- names(group_labels)[!is.na(group_labels) & as.numeric(group_labels) == code]
    by_group[[if (length(name)) name else as.character(code)]] <- list(
      n = unbox(length(y)), mean = num(mean(y)), sd = num(if (length(y) > 1) sd(y) else NA))
  }
  list(variable_labels = labels, value_labels = values, stats = stats,
       alpha = list(items = case$items, n = unbox(nrow(complete)), alpha = unbox(a$total$raw_alpha),
                    std_alpha = unbox(a$total$std.alpha)),
       lm = list(formula = unbox(case$py_formula), n = unbox(nobs(fit)), r2 = unbox(summary(fit)$r.squared),
                 coefficients = coefs),
       by_group = list(by = unbox(case$group), outcome = unbox(case$outcome), groups = by_group))
}

out <- list()
for (name in names(cases)) {
  for (ext in c("sav", "dta")) {
    out[[paste0(name, ".", ext)]] <- describe_file(file.path(dir, paste0(name, ".", ext)), cases[[name]])
  }
}
out[["_versions"]] <- list(R = unbox(R.version.string), haven = unbox(as.character(packageVersion("haven"))),
                           psych = unbox(as.character(packageVersion("psych"))))
writeLines(toJSON(out, auto_unbox = FALSE, digits = NA, pretty = TRUE, null = "null"),
           file.path(dir, "labelled.json"))
