# ======================================================================
# Category 5: time series (problem c5-melbourne-temperatures)
#
# The course's week 4 assignment: daily minimum temperatures in
# Melbourne, 1981-1990 (3,650 days, degrees Celsius; Australian Bureau of
# Meteorology). No licence is stated for the data, so tfcert does not
# ship it: `tfcert data prepare melbourne-temperatures` downloads it once
# and checks its SHA-256.
#
# From a window of 64 days predict the next day's minimum. The series is
# used as it is, in degrees (the course did not normalise it), split at
# day 2500: load_training_data gives the 2,500 days before the split.
#
# Contract: input shape (None, 64, 1) (or (None, 64)), output shape
# (None, 1), in degrees Celsius. Keep the constants and the windowing as
# they are. No Lambda layers.
#
# How it is scored: the grader forecasts the day after each 64-day
# window for the 1,150 days after the split and takes the MAE in
# degrees. The course passed an MAE of 2 or less; repeating the last day
# scores 2.01, so tfcert's scale gives 5/5 only to a model that beats
# that clearly (see the category 5 page).
# Grade it with: tfcert grade mymodel.h5 --problem c5-melbourne-temperatures
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
SPLIT_TIME = 2500
WINDOW_SIZE = 64
BATCH_SIZE = 256
SHUFFLE_BUFFER_SIZE = 1000


def windowed_dataset(series, window_size=WINDOW_SIZE):
    """Shuffled windows of window_size + 1 days: the input is the first
    window_size days, the target the day after them."""
    series = tf.expand_dims(series, axis=-1)
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + 1, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + 1))
    ds = ds.shuffle(SHUFFLE_BUFFER_SIZE)
    ds = ds.map(lambda w: (w[:-1], w[-1]))
    return ds.batch(BATCH_SIZE).prefetch(1)


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    series = load_training_data("c5-melbourne-temperatures")  # (2500,), degrees
    train_set = windowed_dataset(series)

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            # YOUR CODE HERE
            # The output layer the grader wants is one value per window. Straight
            # after the input it gives (None, 64, 1), not (None, 1): flatten the
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
