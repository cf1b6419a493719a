"""The problems layer: what each problem asks of a model, and grading a file against it.

`definition` says what a problem is (its contract, its one metric, its 0-5 `Scale`) and holds
the measures several problems share; `text_encoder` is the category 4 starters' tokenizer;
`category5` defines the time-series problems and `catalog` the others and the one list of
them, `PROBLEMS`, with their training data and getting it ready; `grading` loads an
inspected file safely, predicts on the held-out split and scores and explains the result.
The thresholds are this project's own calibration, not Google's.
"""
