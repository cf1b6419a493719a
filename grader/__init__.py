"""tfcert's grader: score a saved Keras model x/5 for a TensorFlow Developer Certificate problem.

    >>> import grader
    >>> result = grader.grade("mymodel.h5", "c2-fashion-mnist")   # doctest: +SKIP
    >>> result.score, result.value                                   # doctest: +SKIP

The library is the interface; the `tfcert` command is a thin shell over it.
"""

from grader.core.version import __version__
from grader.data.errors import DataError
from grader.data.registry import DATASETS, Dataset, get_dataset
from grader.data.settings import data_home, keras_fashion_mnist_dir
from grader.exam.board import Report
from grader.exam.mock_exam import Exam, find_exam, start_exam
from grader.exam.state import ExamError, Submission
from grader.modelfile.inspection import inspect_file
from grader.modelfile.model_file import Rejected
from grader.problems.catalog import (
    PROBLEMS,
    Evaluation,
    Problem,
    Scale,
    get_problem,
    load_training_data,
)
from grader.problems.grading import Result, explain, grade
from grader.problems.text_encoder import TextEncoder

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
