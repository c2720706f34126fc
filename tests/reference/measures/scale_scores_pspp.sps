* Scale scores with SPSS's missing-item rules, computed by GNU PSPP as an independent check of
* leftbehind.measures.scale_score(min_items=k). Run from the repository root:
*   pspp tests/reference/measures/scale_scores_pspp.sps
* Writes tests/reference/measures/scale_scores_pspp.csv (blank = system-missing).
GET DATA /TYPE=TXT /FILE="tests/reference/data/measures_depression.csv"
  /ARRANGEMENT=DELIMITED /DELIMITERS="," /FIRSTCASE=2
  /VARIABLES=id F4.0 dep1 F1.0 dep2 F1.0 dep3 F1.0 dep4 F1.0 dep5 F1.0 dep6 F1.0.
COMPUTE mean_all = MEAN.6(dep1 TO dep6).
COMPUTE mean_min5 = MEAN.5(dep1 TO dep6).
COMPUTE mean_min4 = MEAN.4(dep1 TO dep6).
COMPUTE mean_any = MEAN(dep1 TO dep6).
COMPUTE sum_min5 = SUM.5(dep1 TO dep6).
COMPUTE sum_min4 = SUM.4(dep1 TO dep6).
COMPUTE prorated_min4 = 6 * MEAN.4(dep1 TO dep6).
FORMATS mean_all mean_min5 mean_min4 mean_any sum_min5 sum_min4 prorated_min4 (F12.8).
SAVE TRANSLATE /OUTFILE="tests/reference/measures/scale_scores_pspp.csv" /TYPE=CSV
  /FIELDNAMES /REPLACE
  /KEEP=id mean_all mean_min5 mean_min4 mean_any sum_min5 sum_min4 prorated_min4.
