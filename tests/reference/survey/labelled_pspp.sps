* A second, independent reader of the labelled .sav files (GNU PSPP, not ReadStat):
* n, mean and SD of every variable with the files' user-missing codes and ranges excluded.
* Run from the repository root:  pspp tests/reference/survey/labelled_pspp.sps
* Writes tests/reference/survey/labelled_bfi_pspp.csv and labelled_edge_pspp.csv.
GET FILE="tests/reference/survey/labelled_bfi.sav".
COMPUTE whole = 1.
AGGREGATE OUTFILE=* /BREAK=whole
  /care_n N1_n N2_n N3_n N4_n N5_n A2_n = NU(care N1 N2 N3 N4 N5 A2)
  /care_mean N1_mean N2_mean N3_mean N4_mean N5_mean A2_mean = MEAN(care N1 N2 N3 N4 N5 A2)
  /care_sd N1_sd N2_sd N3_sd N4_sd N5_sd A2_sd = SD(care N1 N2 N3 N4 N5 A2).
FORMATS ALL (F24.16).
SAVE TRANSLATE /OUTFILE="tests/reference/survey/labelled_bfi_pspp.csv" /TYPE=CSV /REPLACE /FIELDNAMES.

GET FILE="tests/reference/survey/labelled_edge.sav".
COMPUTE whole = 1.
AGGREGATE OUTFILE=* /BREAK=whole
  /g_n e1_n e2_n e3_n gone_n = NU(g e1 e2 e3 gone)
  /g_mean e1_mean e2_mean e3_mean = MEAN(g e1 e2 e3)
  /g_sd e1_sd e2_sd e3_sd = SD(g e1 e2 e3).
FORMATS ALL (F24.16).
SAVE TRANSLATE /OUTFILE="tests/reference/survey/labelled_edge_pspp.csv" /TYPE=CSV /REPLACE /FIELDNAMES.
