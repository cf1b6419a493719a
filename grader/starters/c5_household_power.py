# ======================================================================
# Category 5: time series, multivariate (problem c5-household-power)
#
# The exam's own category 5 problem since July 2021. The data is the
# first 60 days of one household's electricity readings, one row a
# minute (86,400 rows) with 7 features: Global_active_power,
# Global_reactive_power, Voltage, Global_intensity, Sub_metering_1,
# Sub_metering_2 and Sub_metering_3.
#
# From a window of the past N_PAST = 24 minutes of all 7 features,
# predict the next N_FUTURE = 24 minutes of all 7.
#
# Contract (as the exam states it):
#   1. input shape (BATCH_SIZE, N_PAST = 24, N_FEATURES = 7),
#   2. output shape (BATCH_SIZE, N_FUTURE = 24, N_FEATURES = 7),
#   3. the last layer is a Dense layer with N_FEATURES = 7 units.
#   Keep the constants, the normalisation, the windowing and the seed
#   below as they are. Do not use Lambda layers.
#
# How it is scored (the exam's tester, reproduced by the grader): the
# model forecasts every 24-minute window of the whole normalised
# series; only the first forecast minute of each window counts, compared
# with the validation half (43,191 windows). Repeating the last minute
# already scores MAE 0.0118 there, so the model has to use the latest
# readings. Keras' val_mae during training averages all 24 minutes:
# a different, larger number.
# Grade it with: tfcert grade mymodel.h5 --problem c5-household-power
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
N_FEATURES = 7  # the file's 7 columns (the exam: len(df.columns))
SPLIT_TIME = 43200  # half of the 86,400 rows (the exam: int(len(data) * 0.5))
N_PAST = 24
N_FUTURE = 24
SHIFT = 1
BATCH_SIZE = 32  # the exam advised against changing it (stateful RNNs break)


def normalize_series(data, minimum, maximum):
    """Scale each column as the exam's starter does: subtract its minimum,
    then divide by its maximum (not by maximum - minimum)."""
    data = data - minimum
    data = data / maximum
    return data


def windowed_dataset(series, batch_size=BATCH_SIZE, n_past=N_PAST, n_future=N_FUTURE, shift=SHIFT):
    """Windows of n_past + n_future rows, one row apart: the first n_past
    rows are the input, the next n_future rows the target (all features)."""
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(size=n_past + n_future, shift=shift, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(n_past + n_future))
    ds = ds.map(lambda w: (w[:n_past], w[n_past:]))
    return ds.batch(batch_size).prefetch(1)


def normalised_data():
    """The whole file, normalised over all of its rows (both halves), as in the exam."""
    data = load_training_data("c5-household-power")  # shape (86400, 7), the raw readings
    return normalize_series(data, data.min(axis=0), data.max(axis=0))


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    data = normalised_data()  # shape (86400, 7)
    x_train = data[:SPLIT_TIME]
    x_valid = data[SPLIT_TIME:]

    tf.keras.backend.clear_session()  # DO NOT CHANGE the seed
    tf.random.set_seed(42)

    train_set = windowed_dataset(x_train)
    valid_set = windowed_dataset(x_valid)

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(N_PAST, N_FEATURES)),
            # YOUR CODE HERE
            tf.keras.layers.Dense(N_FEATURES),
        ]
    )
    # YOUR CODE HERE: compile and fit the model on train_set (valid_set
    # is there to watch val_mae)
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
