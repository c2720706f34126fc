* Writes tests/reference/survey/pspp_labels.sav with GNU PSPP, an SPSS-format file made
* independently of pyreadstat, to test that read_data keeps variable labels, value labels
* and user-missing codes. Run from the repository root:
*   pspp tests/reference/survey/pspp_labels.sps
DATA LIST LIST /qid (F4.0) gender (F1.0) dep1 (F1.0) age (F2.0).
BEGIN DATA
1 1 3 12
2 2 9 13
3 1 5 14
4 2 1 .
END DATA.
VARIABLE LABELS gender "Gender of the child" /dep1 "Felt depressed".
VALUE LABELS gender 1 "boy" 2 "girl" /dep1 1 "never" 5 "always" 9 "no answer".
MISSING VALUES dep1 (9).
SAVE OUTFILE="tests/reference/survey/pspp_labels.sav".
