# %% [markdown]
# # Category 4: sarcastic news headlines, the exam's own problem
#
# **Problem** `c4-sarcasm`: is a news headline sarcastic (1, from The Onion) or not (0, from
# HuffPost)? The data is the exam's `sarcasm.json`, 26,709 real headlines: the first 20,000
# are for training and the grader scores the other 6,709. The set-up cell downloads it
# once from the exam's address (`tfcert data prepare sarcasm`, 5.6 MB); no checksum was
# ever published for it, so tfcert checks every record before using it.
#
# **Run it**: run the cells in order, in Colab or your own Jupyter; the last cell grades the
# `mymodel.h5` it saved. In a terminal, `tfcert grade mymodel.h5 --problem c4-sarcasm`
# does the same.

# %% [markdown]
# ## Setup
#
# The starter's "do not change" block is the exam's: a vocabulary of the 1,000 most
# frequent words of the first 20,000 headlines, `<OOV>` for the rest, each headline padded
# or cut at the end to 120 ids. A headline has about ten words, so most of those 120 ids
# are padding zeros. Keras 3 has no `Tokenizer`: the starter uses `grader.TextEncoder`,
# which builds the same kind of word index deterministically, so the grader can rebuild it.

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

PROBLEM = grader.get_problem("c4-sarcasm")
if PROBLEM.dataset in grader.DATASETS:  # data written in the starter needs none
    prepare = ["-m", "grader", "data", "prepare", PROBLEM.dataset, "-q"]
    subprocess.run([sys.executable, *prepare], check=True)

# %%
import keras
import tensorflow as tf

from grader.starters.c4_sarcasm import EMBEDDING_DIM, MAX_LENGTH, VOCAB_SIZE, load_data

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# %% [markdown]
# ## The model
#
# The course's sarcasm model averages the word embeddings (`GlobalAveragePooling1D`) and
# adds a dense layer; it climbs slowly, because its average is mostly the embedding of
# the padding id. Three changes:
#
# - `mask_zero=True` in the `Embedding`: the average then covers a headline's words only.
#   This is the change that matters; the held-out accuracy is reached in one or two
#   epochs instead of ten.
# - No hidden layer, and Adam with a learning rate of 0.003 in batches of 64.
# - A candidate who passed reported that validation accuracy stalls near 0.83 on this data
#   whatever the model; with a vocabulary of 1,000 words the ceiling is close. So the
#   last tenth of the training headlines is kept for validation, and `EarlyStopping`
#   with `restore_best_weights` stops at the first epoch that does not improve.


# %%
def solution_model():
    training_padded, training_labels = load_data()

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(MAX_LENGTH,)),
            tf.keras.layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM, mask_zero=True),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.003),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(
        training_padded,
        training_labels,
        epochs=4,
        batch_size=64,
        validation_split=0.1,
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
# The grader scores the saved file out of 5 on the 6,709 headlines after the first 20,000,
# as the exam's tester scored a submission on sentences the model had not seen; the
# thresholds are our own calibration
# ([Measurements](https://tfcert.github.io/tfcert/measurements/)).

# %%
if __name__ == "__main__":
    print(grader.grade("mymodel.h5", PROBLEM).summary())
