# ======================================================================
# Category 5: time series (problem c5-sunspots)
#
# Predict the next N_FUTURE months of the sunspot number from the
# previous WINDOW_SIZE months. The series (monthly means, 1749-1983) is
# normalised by the training split's maximum, as the exam's "normalized"
# variant was. The grader scores the forecasts of every window that ends
# in the last 500 months, which the training data never contains.
#
# Contract: input shape (None, WINDOW_SIZE, 1), output shape
# (None, N_FUTURE).
# Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c5-sunspots
# ======================================================================
import tensorflow as tf

from grader import load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
WINDOW_SIZE = 60
N_FUTURE = 12
BATCH_SIZE = 32
SHUFFLE_BUFFER_SIZE = 1000
SPLIT_TIME = 2000


def windowed_dataset(series, shuffle=True, window_size=WINDOW_SIZE, n_future=N_FUTURE):
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + n_future, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + n_future))
    ds = ds.map(lambda w: (w[:window_size, None], w[window_size:]))
    if shuffle:
        ds = ds.shuffle(SHUFFLE_BUFFER_SIZE, seed=42)
    return ds.batch(BATCH_SIZE).prefetch(1)


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    series = load_training_data("c5-sunspots")  # shape (2320,), normalised
    train_set = windowed_dataset(series[:SPLIT_TIME])

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(WINDOW_SIZE, 1)),
            # YOUR CODE HERE
            # The output layer the grader wants: one unit per month ahead. Straight after
            # the input it gives (None, WINDOW_SIZE, N_FUTURE) = (None, 60, 12), not
            # (None, 12): flatten the window, or end the layers before it with a
            # recurrent layer that returns only its last output.
            tf.keras.layers.Dense(N_FUTURE),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
