# ======================================================================
# Category 5: time series (problem c5-sunspots-exam)
#
# The exam's older category 5 problem, with its own data and score
# formula. Sunspots.csv holds 3,235 monthly mean sunspot numbers
# (1749-01 to 2018-07); its licence (CC BY-NC 4.0) does not let tfcert
# ship it: `tfcert data prepare sunspots-exam` downloads it once.
#
# The series is normalised as the exam's starter does it (subtract the
# minimum, divide by the maximum), split at time step 3000, and cut into
# windows of 30 months whose target is the same 30 months shifted by one.
#
# Contract: the model reads windows of shape (None, 30, 1) (a first layer
# with input shape [None, 1] works too) and returns one value per step,
# shape (None, 30, 1), as the windows below train it. Keep the constants,
# the normalisation and the windowing as they are. No Lambda layers.
#
# How it is scored (the exam's tester, reproduced by the grader): the
# model forecasts every 30-month window of the whole normalised series;
# the last step of each window whose next month is in the validation
# part (months 3000 to 3234) is compared with that month. The exam turned
# that MAE into a score with min(5, ceil(17 - 100 * MAE)): 5/5 for any
# MAE below 0.13 (the starter asked for 0.12 or less).
# Grade it with: tfcert grade mymodel.h5 --problem c5-sunspots-exam
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
    window_size months, the target the same months shifted by one."""
    series = tf.expand_dims(series, axis=-1)
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + 1, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + 1))
    ds = ds.shuffle(shuffle_buffer)
    ds = ds.map(lambda w: (w[:-1], w[1:]))
    return ds.batch(batch_size).prefetch(1)


def normalised_series():
    """Sunspots.csv's third column (Monthly Mean Total Sunspot Number) as
    floats, normalised over the whole series as in the exam."""
    series = np.array(load_training_data("c5-sunspots-exam"))  # shape (3235,)
    minimum = np.min(series)
    maximum = np.max(series)
    series -= minimum
    series /= maximum
    return series


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    series = normalised_series()
    x_train = series[:SPLIT_TIME]
    x_valid = series[SPLIT_TIME:]
    train_set = windowed_dataset(x_train)

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(None, 1)),
            # YOUR CODE HERE
            tf.keras.layers.Dense(1),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
