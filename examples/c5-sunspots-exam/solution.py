# %% [markdown]
# # Category 5: the exam's older sunspots problem
#
# **Problem** `c5-sunspots-exam`: the exam's earlier category 5, with its own data file
# and its own score formula. Sunspots.csv holds 3,235 monthly mean sunspot numbers
# (1749-01 to 2018-07) from SILSO, Royal Observatory of Belgium. Its licence (CC BY-NC
# 4.0) does not let tfcert ship it: `tfcert data prepare sunspots-exam` downloads it once
# from the exam's URL and checks its values.
#
# **Run it**: run the cells in order, in Colab or your own Jupyter (the first cell installs
# tfcert where it is missing and prepares this problem's data); the last cell grades the
# `mymodel.h5` it saved. In a terminal,
# `tfcert grade mymodel.h5 --problem c5-sunspots-exam` scores it the way the exam's tester
# did.

# %% [markdown]
# ## Setup
#
# The starter keeps what the exam's starter fixed: the series minus its minimum, divided
# by its maximum; the split at month 3000; windows of 30 months whose target is the same
# 30 months shifted by one; batches of 32 from a shuffle buffer of 1000. A public copy of
# the exam's starter shows all of it:
# [kys910/tfcert_study](https://github.com/kys910/tfcert_study/blob/187638235a1ed59b7dd3e85526f343238ba3ecbd/example/TF5_sunspots_B.py).

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

PROBLEM = grader.get_problem("c5-sunspots-exam")
if PROBLEM.dataset in grader.DATASETS:  # data written in the starter needs none
    prepare = ["-m", "grader", "data", "prepare", PROBLEM.dataset, "-q"]
    subprocess.run([sys.executable, *prepare], check=True)

# %%
import warnings

import keras
import tensorflow as tf

from grader.starters.c5_sunspots_exam import SPLIT_TIME, normalised_series, windowed_dataset

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# Keras 3 warns at every fit on a tf.data pipeline that its own `shuffle=True` is ignored
# (the pipeline shuffles by itself), and at an epoch's end that the "input ran out of data"
# (a dataset built this way does not know its length in advance). Both are expected here.
warnings.filterwarnings("ignore", message=r".*`shuffle=True` was passed")
warnings.filterwarnings("ignore", message=r"Your input ran out of data")

# %% [markdown]
# ## What the tester scores
#
# The tester forecasts every 30-month window of the whole series and compares the
# **last step** of each forecast with the month after its window, for the 235 months
# after the split. So the model must return one value per input step, shape
# `(None, 30, 1)`, and only the step that has seen the whole window is scored: a forecast
# one month ahead.
#
# The exam turned that MAE into a score with `min(5, ceil(17 - 100 * MAE))`, quoted in
# the starter: 5/5 for any MAE below 0.13. One month ahead that is lenient: repeating the
# last month scores MAE 0.0405, and even a constant (the mean of the training months)
# stays below 0.13.

# %% [markdown]
# ## The model
#
# Two causal `Conv1D` layers and a `Dense(1)` on every step:
#
# - `padding="causal"` lets each step see only itself and earlier months, so the output at
#   step t is a forecast of month t + 1, which is what the shifted targets train. The
#   second layer's `dilation_rate=2` widens what the last step sees to 13 months.
# - The first layer's input shape is `(None, 1)`, as the exam's starter said: any window
#   length works, and the tester's windows of 30 fit.
# - **Loss**: `Huber()`, as in the course; MAE is tracked.
# - 20 epochs of the starter's shuffled windows take about 10 s here. The course's larger
#   `Conv1D` + two `LSTM`s reached the same MAE (about 0.036) in about 40 s.


# %%
def solution_model():
    series = normalised_series()  # (3235,)
    train_set = windowed_dataset(series[:SPLIT_TIME])

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(None, 1)),
            tf.keras.layers.Conv1D(32, 5, padding="causal", activation="relu"),
            tf.keras.layers.Conv1D(32, 5, padding="causal", dilation_rate=2, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
        loss=tf.keras.losses.Huber(),
        metrics=["mae"],
    )
    model.fit(train_set, epochs=20, verbose=2)
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
# The grader scores the saved file as the exam's tester did; in a terminal,
# `tfcert grade mymodel.h5 --problem c5-sunspots-exam` does the same.

# %%
if __name__ == "__main__":
    print(grader.grade("mymodel.h5", PROBLEM).summary())
