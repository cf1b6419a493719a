"""tfcert's grader: score a saved Keras model x/5 for a TensorFlow Developer Certificate problem.

    >>> import grader
    >>> result = grader.grade("mymodel.h5", "c2-fashion-mnist")   # doctest: +SKIP
    >>> result.score, result.value                                   # doctest: +SKIP

The library is the interface; the `tfcert` command is a thin shell over it.
"""

from grader._data import DataError, data_home, keras_fashion_mnist_dir
from grader._exam import Exam, ExamError, Report, Submission, find_exam, start_exam
from grader._grade import Result, grade
from grader._inspect import Rejected, inspect_file
from grader._problems import PROBLEMS, Evaluation, Problem, Scale, get_problem, load_training_data
from grader._registry import DATASETS, Dataset, get_dataset
from grader._text import TextEncoder

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
    "data_home",
    "find_exam",
    "get_dataset",
    "get_problem",
    "grade",
    "inspect_file",
    "keras_fashion_mnist_dir",
    "load_training_data",
    "start_exam",
]
__version__ = "0.1.0"
