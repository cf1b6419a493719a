# ======================================================================
# Category 5: time series (problem c5-sunspots-next-month)
#
# The practice exam's sunspots problem, one month ahead. Sunspots.csv
# holds 3,235 monthly mean sunspot numbers (1749-01 to 2018-07); its
# licence (CC BY-NC 4.0) does not let tfcert ship it:
# `tfcert data prepare sunspots-exam` downloads it once.
#
# The series is normalised as the starter does it (subtract the minimum,
# divide by the maximum), split at time step 3000, and cut into windows
# of 30 months whose target is the month that follows (one value).
#
# Contract: input shape (None, 30, 1) (or (None, 30)), output shape
# (None, 1). Keep the constants, the normalisation and the windowing as
# they are. No Lambda layers.
#
# How it is scored: the grader forecasts the month after each 30-month
# window for the 235 months after the split (months 3000 to 3234) and
# takes the MAE. The practice exam asked for an MAE below 0.15; repeating
# the last month already scores 0.0405, so tfcert's scale gives 5/5 only
# to a model that beats that (see the category 5 page).
# Grade it with: tfcert grade mymodel.h5 --problem c5-sunspots-next-month
# ======================================================================
import numpy as np
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
SPLIT_TIME = 3000
WINDOW_SIZE = 30
BATCH_SIZE = 32
SHUFFLE_BUFFER_SIZE = 1000


def windowed_dataset(
    series, window_size=WINDOW_SIZE, batch_size=BATCH_SIZE, shuffle_buffer=SHUFFLE_BUFFER_SIZE
):
    """Shuffled windows of window_size + 1 months: the input is the first
    window_size months, the target the month after them."""
    series = tf.expand_dims(series, axis=-1)
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + 1, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + 1))
    ds = ds.shuffle(shuffle_buffer)
    ds = ds.map(lambda w: (w[:-1], w[-1]))
    return ds.batch(batch_size).prefetch(1)


def normalised_series():
    """Sunspots.csv's third column (Monthly Mean Total Sunspot Number) as
    floats, normalised over the whole series as in the practice exam."""
    series = np.array(load_training_data("c5-sunspots-next-month"))  # (3235,)
    minimum = np.min(series)
    maximum = np.max(series)
    series -= minimum
    series /= maximum
    return series


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    series = normalised_series()
    x_train = series[:SPLIT_TIME]
    x_valid = series[SPLIT_TIME - WINDOW_SIZE :]  # windows that end before a validation month
    train_set = windowed_dataset(x_train)

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            # YOUR CODE HERE
            # The output layer the grader wants is one value per window. Straight
            # after the input it gives (None, 30, 1), not (None, 1): flatten the
            # window, or end the layers before it with a recurrent layer that
            # returns only its last output.
            tf.keras.layers.Dense(1),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
