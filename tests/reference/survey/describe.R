# Reference values for leftbehind.survey.describe_by_group.
# Run from the repository root: Rscript tests/reference/survey/describe.R
# Writes tests/reference/survey/describe_data.csv (the input both sides read) and
# tests/reference/survey/describe.json (means, SDs, counts, column percents, aov, chisq.test).
library(jsonlite)
set.seed(20231113)
n <- 160
groups <- c("none", "mother", "father", "both")
g <- sample(groups, n, replace = TRUE, prob = c(.55, .08, .22, .15))
g[sample(n, 6)] <- NA
y <- round(rnorm(n, 11 + 2 * (g %in% "mother"), 5.5), 2)
y[sample(n, 9)] <- NA
age <- sample(10:16, n, replace = TRUE)
sex <- sample(1:2, n, replace = TRUE)
sex[sample(n, 5)] <- NA
grade <- sample(c(5, 7, 8, 9), n, replace = TRUE, prob = c(.1, .2, .55, .15))
data <- data.frame(g = g, y = y, age = age, sex = sex, grade = grade)
out_dir <- "tests/reference/survey"
write.csv(data, file.path(out_dir, "describe_data.csv"), row.names = FALSE, na = "")

data <- data[!is.na(data$g), ]
data$g <- factor(data$g, levels = groups)
rows <- list()
for (v in c("y", "age")) {
  for (lev in groups) {
    x <- data[[v]][data$g == lev]
    x <- x[!is.na(x)]
    rows[[length(rows) + 1]] <- list(variable = v, level = "", group = lev, n = length(x),
                                     mean = mean(x), sd = sd(x))
  }
}
for (v in c("sex", "grade")) {
  tab <- table(data[[v]], data$g)
  pct <- prop.table(tab, 2) * 100
  for (lev in rownames(tab)) {
    for (grp in groups) {
      rows[[length(rows) + 1]] <- list(variable = v, level = lev, group = grp, n = sum(tab[, grp]),
                                       count = tab[lev, grp], percent = pct[lev, grp])
    }
  }
}
tests <- list()
for (v in c("y", "age")) {
  s <- summary(aov(data[[v]] ~ data$g))[[1]]
  tests[[length(tests) + 1]] <- list(variable = v, test = "anova", statistic = s[1, "F value"],
                                     df1 = s[1, "Df"], df2 = s[2, "Df"], p = s[1, "Pr(>F)"])
}
for (v in c("sex", "grade")) {
  ct <- suppressWarnings(chisq.test(table(data[[v]], data$g), correct = FALSE))
  tests[[length(tests) + 1]] <- list(variable = v, test = "chi2", statistic = unname(ct$statistic),
                                     df1 = unname(ct$parameter), p = ct$p.value)
}
group_n <- as.list(table(data$g))
write_json(list(rows = rows, tests = tests, group_n = group_n, r_version = R.version.string),
           file.path(out_dir, "describe.json"), auto_unbox = TRUE, digits = NA, pretty = TRUE)
