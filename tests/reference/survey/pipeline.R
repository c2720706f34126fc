# Reference for leftbehind.survey.prepare on the documented Hunchun study file (docs/study-file.md):
# validity statuses, derived variables and the sample flow, computed here with base R only.
# Run from the repository root: Rscript tests/reference/survey/pipeline.R
# Writes pipeline_data.csv (the questionnaires both sides read), pipeline_expected.csv (one row per
# questionnaire: status, decisive reason, derived variables) and pipeline.json (flow counts).
library(jsonlite)
set.seed(605)
n <- 400
out_dir <- "tests/reference/survey"
pick <- function(x, size, p = NULL) x[sample.int(length(x), size, replace = TRUE, prob = p)]

d <- data.frame(qid = seq_len(n), school = pick(1:4, n), consent = pick(1:2, n, c(.96, .04)),
                gender = pick(1:2, n), age = pick(10:16, n), grade = pick(c(5, 7, 8, 9), n),
                n_siblings = pick(0:4, n, c(.5, .35, .1, .03, .02)), ethnicity = pick(1:2, n),
                mother_edu = pick(1:6, n), father_edu = pick(1:6, n))
d$parent_away <- pick(1:2, n)
d$parent_away[sample(n, 8)] <- NA
months <- c(0, 1, 3, 5, 6, 7, 12, 24, 60)
d$mother_months <- ifelse(d$parent_away %in% 1, pick(months, n), NA)
d$father_months <- ifelse(d$parent_away %in% 1, pick(months, n), NA)
d$mother_months[sample(which(d$parent_away %in% 1), 6)] <- NA
d$mother_alive <- pick(1:2, n, c(.96, .04))
d$father_alive <- pick(1:2, n, c(.96, .04))
d$father_alive[sample(n, 5)] <- NA
d$parents_separated <- pick(1:2, n, c(.15, .85))
d$custody <- ifelse(d$parents_separated == 1, pick(1:2, n), NA)
d$custody[sample(which(d$parents_separated == 1), 4)] <- NA
dep <- paste0("dep", 1:6)
teach <- c("teach_life", "teach_guardian", "teach_praise")
for (v in c(dep, "belong", "teacher_sat", "classmate_close", "peer_sat")) d[[v]] <- pick(1:5, n)
for (v in c(teach, "best_friends")) d[[v]] <- pick(1:4, n)
for (v in c(dep, teach, "belong", "peer_sat", "mother_edu")) d[[v]][sample(n, 4)] <- NA
rating <- c(dep, "belong", teach, "teacher_sat", "best_friends", "classmate_close", "peer_sat")
blank_cols <- setdiff(names(d), c("qid", "school"))
d[sample(n, 7), blank_cols] <- NA
d[sample(n, 3), setdiff(blank_cols, "age")] <- NA
d$qid[sample(2:n, 5)] <- sample(1:50, 5)
straight <- sample(n, 4)
for (v in rating) d[[v]][straight] <- 3
d$best_friends[straight[1]] <- 2
write.csv(d, file.path(out_dir, "pipeline_data.csv"), row.names = FALSE, na = "")

# validity rules in file order; all are evaluated, the first one that applies decides
blank <- apply(is.na(d[, blank_cols]), 1, all)
noconsent <- d$consent %in% 2
dup <- duplicated(d$qid)
straightline <- apply(d[, rating], 1, function(r) all(!is.na(r)) && length(unique(r)) == 1)
reasons <- cbind(blank, noconsent, dup, straightline)
labels <- c("questionnaire returned blank", "no consent", "second entry of a questionnaire",
            "the same answer to every question")
decisive <- apply(reasons, 1, function(r) if (any(r)) labels[which(r)[1]] else "")
status <- ifelse(decisive == "", "valid", "invalid")

# derived variables
recode_edu <- function(x) ifelse(is.na(x), NA, ifelse(x <= 2, 1, ifelse(x <= 4, 2, 3)))
mother_away <- d$parent_away %in% 1 & !is.na(d$mother_months) & d$mother_months >= 6
father_away <- d$parent_away %in% 1 & !is.na(d$father_months) & d$father_months >= 6
sep <- d$parents_separated %in% 1
with_mother <- sep & d$custody %in% 1
with_father <- sep & d$custody %in% 2
mother_counts <- !with_father
father_counts <- !with_mother
m <- mother_away & mother_counts
f <- father_away & father_counts
migration <- ifelse(m & f, "both", ifelse(m, "mother", ifelse(f, "father", "none")))
yes <- d$parent_away %in% 1
unknown_m <- yes & is.na(d$mother_months) & mother_counts
unknown_f <- yes & is.na(d$father_months) & father_counts
no_custody <- sep & !with_mother & !with_father & yes
deceased <- d$mother_alive %in% 2 | d$father_alive %in% 2
missing_mig <- is.na(d$parent_away) | unknown_m | unknown_f | no_custody | deceased
migration[missing_mig] <- NA

expected <- data.frame(
  position = seq_len(n) - 1, status = status, decisive = decisive,
  girl = ifelse(d$gender == 2, 1, 0), siblings = pmin(d$n_siblings, 2), korean = ifelse(d$ethnicity == 2, 1, 0),
  mother_education = recode_edu(d$mother_edu), father_education = recode_edu(d$father_edu),
  migration = migration, deceased = deceased,
  depression = rowSums(d[, dep]))
write.csv(expected, file.path(out_dir, "pipeline_expected.csv"), row.names = FALSE, na = "")

valid <- expected[status == "valid", ]
vars <- c("depression", "migration", "girl", "age", "grade", "siblings", "korean", "mother_education",
          "father_education")
valid$age <- d$age[status == "valid"]
valid$grade <- d$grade[status == "valid"]
complete <- complete.cases(valid[, vars])
write_json(list(collected = n, valid = sum(status == "valid"), complete = sum(complete),
                missing = as.list(colSums(is.na(valid[, vars]))),
                decisive = as.list(table(factor(decisive[decisive != ""], levels = labels))),
                migration = as.list(table(factor(valid$migration[complete], levels = c("none", "mother", "father", "both")))),
                r_version = R.version.string),
           file.path(out_dir, "pipeline.json"), auto_unbox = TRUE, pretty = TRUE)
