# ======================================================================
# Category 5: time series (problem c5-diesel-prices)
#
# An exam category 5 problem: the weekly U.S. No 2 diesel retail price,
# on-highway, all types, from 1994-03-21 to 2021-06-28 (1,424 weeks,
# dollars per gallon; U.S. Energy Information Administration, public
# domain, shipped with tfcert). One feature.
#
# From a window of the past N_PAST = 10 weeks, predict the next
# N_FUTURE = 10 weeks.
#
# Contract (as the exam states it):
#   1. input shape (BATCH_SIZE, N_PAST = 10, N_FEATURES = 1),
#   2. output shape (BATCH_SIZE, N_FUTURE = 10, N_FEATURES = 1),
#   3. the last layer is a Dense layer with N_FEATURES = 1 unit.
#   Keep the constants, the normalisation, the windowing and the seed
#   below as they are. Do not use Lambda layers.
#
# How it is scored (the exam's tester, reproduced by the grader): the
# model forecasts every 10-week window of the whole normalised series;
# only the first forecast week of each window counts, compared with the
# weeks after the split (278 windows). The exam's hint: a validation
# MAE of about 0.02 or less may fetch top marks. Repeating the last week
# already scores MAE 0.0046 there.
# Grade it with: tfcert grade mymodel.h5 --problem c5-diesel-prices
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
N_FEATURES = 1  # the file's one column (the exam: len(df.columns))
SPLIT_TIME = 1139  # 80% of the 1,424 rows (the exam: int(len(data) * 0.8))
N_PAST = 10
N_FUTURE = 10
SHIFT = 1
BATCH_SIZE = 32  # the exam advised against changing it (stateful RNNs break)


def normalize_series(data, minimum, maximum):
    """Scale as the exam's starter does: subtract the minimum, then divide
    by the maximum (not by maximum - minimum)."""
    data = data - minimum
    data = data / maximum
    return data


def windowed_dataset(series, batch_size=BATCH_SIZE, n_past=N_PAST, n_future=N_FUTURE, shift=SHIFT):
    """Windows of n_past + n_future rows, one row apart: the first n_past
    rows are the input, the next n_future rows the target."""
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(size=n_past + n_future, shift=shift, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(n_past + n_future))
    ds = ds.map(lambda w: (w[:n_past], w[n_past:]))
    return ds.batch(batch_size).prefetch(1)


def normalised_data():
    """The whole file as one column, normalised over all of its rows, as in
    the exam (its pandas DataFrame's values had shape (1424, 1))."""
    data = load_training_data("c5-diesel-prices").reshape(-1, 1)  # (1424, 1), dollars
    return normalize_series(data, data.min(axis=0), data.max(axis=0))


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    data = normalised_data()  # shape (1424, 1)
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
            # HINT from the exam: Bidirectional LSTMs may help.
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
