# ======================================================================
# Category 5: time series, multi-output (problem c5-seattle-weather)
#
# Forecast Seattle's daily weather: from the past N_PAST days of all
# four features (precipitation, temp_max, temp_min, wind), predict the
# next N_FUTURE days of all four. This has the shape of the exam's
# household-power problem. The data is normalised to [0, 1] with the
# training split's minimum and maximum; the grader scores the model on
# 2015, which the training data never contains.
#
# Contract: input shape (None, N_PAST, 4), output shape
# (None, N_FUTURE, 4). Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c5-seattle-weather
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
N_PAST = 14
N_FUTURE = 7
SHIFT = 1
BATCH_SIZE = 32
N_FEATURES = 4
SPLIT_TIME = 900


def windowed_dataset(series, batch_size=BATCH_SIZE, n_past=N_PAST, n_future=N_FUTURE, shift=SHIFT):
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(size=n_past + n_future, shift=shift, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(n_past + n_future))
    ds = ds.map(lambda w: (w[:n_past], w[n_past:]))
    return ds.batch(batch_size).prefetch(1)


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    data = load_training_data("c5-seattle-weather")  # shape (1096, 4), normalised
    x_train, x_valid = data[:SPLIT_TIME], data[SPLIT_TIME:]
    train_set = windowed_dataset(x_train)
    valid_set = windowed_dataset(x_valid)

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(N_PAST, N_FEATURES)),
            # YOUR CODE HERE
            # A placeholder, so that the file runs. Straight after the input it gives
            # (None, N_PAST, N_FEATURES) = (None, 14, 4), not the (None, N_FUTURE,
            # N_FEATURES) = (None, 7, 4) the grader wants. Replace it: for example a
            # recurrent layer, then Dense(N_FUTURE * N_FEATURES) and
            # Reshape((N_FUTURE, N_FEATURES)).
            tf.keras.layers.Dense(N_FEATURES),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
