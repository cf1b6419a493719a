# %% [markdown]
# # Category 5: sunspots, a year ahead
#
# **Problem** `c5-sunspots`: from the past 60 months of the (normalised) monthly sunspot
# number, predict the next 12 months. The course and an exam variant used this series
# with a one-month horizon; at one month, repeating the last value is almost as good as
# any model, so a grader could not tell a trained model from a trivial one. Twelve months
# ahead, the 11-year solar cycle has to be learnt.
#
# **Run it**: run the cells in order, in Colab or your own Jupyter (the first cell installs
# tfcert where it is missing and prepares this problem's data); the last cell grades the
# `mymodel.h5` it saved. In a terminal,
# `tfcert grade mymodel.h5 --problem c5-sunspots` scores it on the last 500 months.

# %% [markdown]
# ## Setup

# %%
# Set-up, for Colab or any fresh Jupyter: install tfcert (the grader and the exam's
# starters) where it is missing, then prepare this problem's data. Where both are
# ready, as in a clone of the repository, it does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("grader") is None:
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    if importlib.util.find_spec("tensorflow") is not None:  # Colab: keep its TensorFlow
        pip.append("--no-deps")  # (tensorflow and tensorflow-cpu must not share a venv)
    package = "tfcert @ https://github.com/tfcert/tfcert/archive/refs/heads/main.zip"
    subprocess.run([*pip, package], check=True)
    importlib.invalidate_caches()

import grader

PROBLEM = grader.get_problem("c5-sunspots")
if PROBLEM.dataset in grader.DATASETS:  # data written in the starter needs none
    prepare = ["-m", "grader", "data", "prepare", PROBLEM.dataset, "-q"]
    subprocess.run([sys.executable, *prepare], check=True)

# %%
import warnings

import keras
import tensorflow as tf

from grader import load_training_data
from grader.starters.c5_sunspots import N_FUTURE, SPLIT_TIME, WINDOW_SIZE, windowed_dataset

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# Keras 3 warns at every fit on a tf.data pipeline that its own `shuffle=True` is ignored
# (the pipeline shuffles by itself), and at an epoch's end that the "input ran out of data"
# (a dataset built this way does not know its length in advance). Both are expected here.
warnings.filterwarnings("ignore", message=r".*`shuffle=True` was passed")
warnings.filterwarnings("ignore", message=r"Your input ran out of data")

# %% [markdown]
# ## The model
#
# A plain dense network: `Flatten` the 60 months into one vector, one hidden `Dense(64)`,
# and a dense head that predicts all 12 months at once.
#
# - **Why not the course's `Conv1D` and `LSTM`s?** Sixty evenly spaced months of one
#   variable are a short, fixed-length input: a dense layer sees the whole window at once,
#   which is what a year-ahead forecast of an 11-year cycle needs. Recurrent layers earn
#   their cost on long or irregular sequences. Here the course-style model (a `Conv1D` and
#   two `LSTM`s, the baseline of the [benchmark](https://tfcert.github.io/tfcert/measurements/#solutions))
#   forecast the grader's 500 months less well and took about three times as long to
#   train. An `LSTM` is still worth knowing for the exam.
# - **Loss**: `Huber()` (as in the course) is less thrown by the spiky months than the
#   squared error; the metric the grader uses, MAE, is tracked for early stopping.
# - `EarlyStopping` on `val_mae` with `restore_best_weights=True` keeps the best epoch;
#   the cap of 60 epochs is rarely reached.
# - The validation windows start `WINDOW_SIZE` months before `SPLIT_TIME`, so that the
#   first validation target is the first month after the training part.


# %%
def solution_model():
    series = load_training_data("c5-sunspots")  # (2320,), normalised
    train_set = windowed_dataset(series[:SPLIT_TIME])
    valid_set = windowed_dataset(series[SPLIT_TIME - WINDOW_SIZE :], shuffle=False)

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(N_FUTURE),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
        loss=tf.keras.losses.Huber(),
        metrics=["mae"],
    )
    model.fit(
        train_set,
        validation_data=valid_set,
        epochs=60,
        callbacks=[
            tf.keras.callbacks.EarlyStopping(
                monitor="val_mae", patience=6, restore_best_weights=True
            )
        ],
        verbose=2,
    )
    return model


# %% [markdown]
# ## Save the model

# %%
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")


# %% [markdown]
# ## Grade it
#
# The grader scores the saved file out of 5 on data the model never saw, as the exam's
# tester scored a submission; the thresholds are our own calibration
# ([Measurements](https://tfcert.github.io/tfcert/measurements/)). In a terminal,
# `tfcert grade mymodel.h5 --problem c5-sunspots` does the same.

# %%
if __name__ == "__main__":
    print(grader.grade("mymodel.h5", PROBLEM).summary())
