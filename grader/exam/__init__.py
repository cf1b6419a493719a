"""The mock exam layer: five categories, five hours, and "Submit and Test" as the exam ran.

`state` holds the exam's state file, its clock and its errors; `problem_sets` the sets of
five problems an exam can be started with; `starter_run` runs a category's starter.py as the
exam's PyCharm plugin did; `pycharm` writes the PyCharm run configurations; `board` the status
board and the weighted report; `mock_exam` the `Exam` itself (`start_exam`, `find_exam`,
submitting a category), which grades through `grader.problems`.
"""
