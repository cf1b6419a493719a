# %% [markdown]
# # Category 5: sunspots, a year ahead
#
# **Problem** `c5-sunspots`: from the past 60 months of the (normalised) monthly sunspot
# number, predict the next 12 months. The course and an exam variant used this series
# with a one-month horizon; at one month, repeating the last value is almost as good as
# any model, so a grader could not tell a trained model from a trivial one. Twelve months
# ahead, the 11-year solar cycle has to be learnt.
#
# **Run it**: `python examples/c5-sunspots/solution.py` writes `mymodel.h5`;
# `tfcert grade mymodel.h5 --problem c5-sunspots` scores it on the last 500 months.

# %% [markdown]
# ## Setup

# %%
import keras
import tensorflow as tf

from grader import load_training_data
from grader.starters.c5_sunspots import N_FUTURE, SPLIT_TIME, WINDOW_SIZE, windowed_dataset

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

# %% [markdown]
# ## The model
#
# The course's sunspots model, made smaller: a causal `Conv1D` smooths the monthly noise,
# an `LSTM` reads the shape of the cycle, and a dense head predicts all 12 months at
# once.
#
# - **Loss**: `Huber()` (as in the course) is less thrown by the spiky months than the
#   squared error; the metric the grader uses, MAE, is tracked for early stopping.
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
            tf.keras.layers.Conv1D(32, 5, padding="causal", activation="relu"),
            tf.keras.layers.LSTM(64),
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
        epochs=40,
        callbacks=[
            tf.keras.callbacks.EarlyStopping(
                monitor="val_mae", patience=6, restore_best_weights=True
            )
        ],
        verbose=0,
    )
    return model


# %% [markdown]
# ## Save the model

# %%
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
