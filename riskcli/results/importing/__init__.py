"""import: a team's own spreadsheet of risks read into a register, its own scheme kept.

The steps, one module each: ``table`` reads a CSV or XLSX sheet as rows and finds the table in it
(the header row below any banner, the rows of risks above any footer); ``headers`` says what each
column holds (risk fields, likelihood and impact — inherent, current or residual — ratings,
dates); ``levels`` reads what people write in level cells, learning the sheet's own level names
and verbal scales; ``grid`` learns the sheet's rating grid from its rated rows; ``dates`` finds the
date the sheet speaks for; ``run`` puts them together and writes the register (or nothing).
"""
