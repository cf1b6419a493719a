"""tfcert's grader: score a saved Keras model x/5 for a TensorFlow Developer Certificate problem.

    >>> import grader
    >>> result = grader.grade("mymodel.h5", "c2-fashion-mnist")   # doctest: +SKIP
    >>> result.score, result.value                                   # doctest: +SKIP

The library is the interface; the `tfcert` command is a thin shell over it.
"""

from grader._data import DataError, data_home, keras_fashion_mnist_dir
from grader._exam import Exam, find_exam, start_exam
from grader._exam_board import Report
from grader._exam_state import ExamError, Submission
from grader._grade import Result, explain, grade
from grader._inspect import Rejected, inspect_file
from grader._problems import PROBLEMS, Evaluation, Problem, Scale, get_problem, load_training_data
from grader._registry import DATASETS, Dataset, get_dataset
from grader._text import TextEncoder
from grader._version import __version__

__all__ = [
    "DATASETS",
    "PROBLEMS",
    "DataError",
    "Dataset",
    "Evaluation",
    "Exam",
    "ExamError",
    "Problem",
    "Rejected",
    "Report",
    "Result",
    "Scale",
    "Submission",
    "TextEncoder",
    "__version__",
    "data_home",
    "explain",
    "find_exam",
    "get_dataset",
    "get_problem",
    "grade",
    "inspect_file",
    "keras_fashion_mnist_dir",
    "load_training_data",
    "start_exam",
]
