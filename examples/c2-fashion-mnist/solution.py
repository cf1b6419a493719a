# %% [markdown]
# # Category 2: Fashion-MNIST
#
# **Problem** `c2-fashion-mnist`: classify 28x28 grey images of clothing into 10 classes.
# The grader feeds the 10,000 test images, scaled to [0, 1], in the shape `(28, 28)` the
# exam asked for, and scores the accuracy.
#
# **Run it**: run the cells in order, in Colab or your own Jupyter (the first cell installs
# tfcert where it is missing and prepares this problem's data); the last cell grades the
# `mymodel.h5` it saved. In a terminal,
# `tfcert grade mymodel.h5 --problem c2-fashion-mnist` scores it.

# %% [markdown]
# ## Setup
#
# The data is loaded with the exam's own call, `tf.keras.datasets.fashion_mnist.load_data()`.
# Offline it works because `make test` (or `tfcert data prepare`) copied the real
# Fashion-MNIST files from Debian's `dataset-fashion-mnist` package to where Keras looks.

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

PROBLEM = grader.get_problem("c2-fashion-mnist")
if PROBLEM.dataset in grader.DATASETS:  # data written in the starter needs none
    prepare = ["-m", "grader", "data", "prepare", PROBLEM.dataset, "-q"]
    subprocess.run([sys.executable, *prepare], check=True)

# %%
import keras
import tensorflow as tf

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# %% [markdown]
# ## The model
#
# A dense network (Flatten, Dense(128), Dense(10)) is the course's first model: trained
# for five epochs it scores about 0.87 on the test images, a 4/5 (the course-style baseline
# in the grader page's calibration table). One convolution block in front of it sees edges
# and textures instead of single pixels: validation accuracy reaches about 0.90 within
# three epochs, and the test accuracy the grader scores ends a little below that (the
# measured score is on the category 2 page).
#
# - The input stays `(28, 28)`, as the contract says; a `Reshape` layer adds the channel
#   axis that `Conv2D` wants. (Exam-era code often used a `Lambda` for this: the grader
#   refuses Lambda layers, as the exam did.)
# - One block of 32 filters, not the usual two: on a CPU the second block (64 filters)
#   costs most of the time and, when we measured it, did not reach 0.90 sooner.
# - A batch of 64 gives twice the updates per epoch of 128 for little extra time.
# - Four epochs: validation accuracy levels off after the third. The validation data
#   (5,000 training images held back) draws the curves; the test images are what the
#   grader scores, so they must not steer training.


# %%
def solution_model():
    fashion_mnist = tf.keras.datasets.fashion_mnist
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    x_train = x_train / 255.0
    x_test = x_test / 255.0

    x_valid, y_valid = x_train[-5000:], y_train[-5000:]
    x_train, y_train = x_train[:-5000], y_train[:-5000]

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Reshape((28, 28, 1)),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(
        x_train,
        y_train,
        epochs=4,
        batch_size=64,
        validation_data=(x_valid, y_valid),
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
# `tfcert grade mymodel.h5 --problem c2-fashion-mnist` does the same.

# %%
if __name__ == "__main__":
    print(grader.grade("mymodel.h5", PROBLEM).summary())
