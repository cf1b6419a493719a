"""The exam-style starters, one per problem: the single home of each problem's starter text.

`tfcert exam start` copies these files into Category1..Category5/starter.py; the reference
solutions in examples/ import their "do not change" parts from here. Each starter is a
plain module: importing it defines the fixed settings and data loading, and nothing trains
until `solution_model()` is called. Which file belongs to which problem is the problem's
`starter` (grader.problems.catalog and grader.problems.category5).
"""
