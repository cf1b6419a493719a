"""The exam-style starters, one per problem: the single home of each problem's starter text.

`tfcert exam start` copies these files into Category1..Category5/starter.py; the reference
solutions in examples/ import their "do not change" parts from here. Each starter is a
plain module: importing it defines the fixed settings and data loading, and nothing trains
until `solution_model()` is called.
"""

STARTERS = {
    "c1-basic-regression": "c1_basic_regression.py",
    "c2-fashion-mnist": "c2_fashion_mnist.py",
    "c3-clipart": "c3_clipart.py",
    "c4-rotten-tomatoes": "c4_rotten_tomatoes.py",
    "c5-seattle-weather": "c5_seattle_weather.py",
    "c5-sunspots": "c5_sunspots.py",
}
