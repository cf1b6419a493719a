"""Course-style models for the in-browser grader's tests (tests/test_browser_grader.py).

One or more per problem that the page supports, in the shapes the course and the exam's
candidates use (Dense, CNN, Embedding with pooling, masked and bidirectional LSTM and GRU,
Conv1D, functional models with merge layers), each trained briefly on the problem's real
training data: real weights, not a score to reach. `COURSE[problem, name](keras)` returns
the trained model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import grader


def _c1_dense(keras: Any) -> Any:
    x, y = grader.load_training_data("c1-basic-regression")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")  # the short name: the grader adds a note
    model.fit(x, y, epochs=200, verbose=0)
    return model


def _fashion(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = grader.load_training_data("c2-fashion-mnist")
    return x[:n].astype("float32") / 255.0, y[:n]


def _c2_dense(keras: Any) -> Any:
    L = keras.layers
    x, y = _fashion(10_000)
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            L.Flatten(),
            L.Dense(128, activation="relu"),
            L.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    return model


def _c2_cnn(keras: Any) -> Any:
    L = keras.layers
    x, y = _fashion(5_000)
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            L.Reshape((28, 28, 1)),
            L.Conv2D(16, 3, activation="relu"),
            L.BatchNormalization(),
            L.MaxPooling2D(),
            L.Conv2D(16, 3, padding="same", activation="relu"),
            L.AveragePooling2D(2),
            L.Flatten(),
            L.Dropout(0.2),
            L.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    return model


def _c3_cnn(keras: Any) -> Any:
    L = keras.layers
    folder = grader.load_training_data("c3-clipart")
    data = keras.utils.image_dataset_from_directory(
        folder, image_size=(150, 150), batch_size=32, label_mode="binary", seed=1, verbose=False
    ).map(lambda images, labels: (images / 255.0, labels))
    model = keras.Sequential(
        [
            keras.Input((150, 150, 3)),
            L.RandomFlip("horizontal", seed=1),
            L.Conv2D(8, 3, activation="relu"),
            L.MaxPooling2D(2),
            L.Conv2D(16, 3, activation="relu"),
            L.MaxPooling2D(2),
            L.Flatten(),
            L.Dense(16, activation="relu"),
            L.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(data, epochs=1, verbose=0, shuffle=False)
    return model


def _reviews() -> tuple[np.ndarray, np.ndarray]:
    from grader.problems.catalog import C4, c4_encoder

    texts, labels = grader.load_training_data("c4-rotten-tomatoes")
    x = c4_encoder(texts).encode(texts, C4["MAX_LENGTH"], C4["PADDING_TYPE"], C4["TRUNC_TYPE"])
    return x, np.asarray(labels)


def _c4(layers: Callable[[Any], list[Any]], epochs: int) -> Callable[[Any], Any]:
    def build(keras: Any) -> Any:
        x, y = _reviews()
        model = keras.Sequential([keras.Input((32,)), *layers(keras.layers)])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, y, epochs=epochs, batch_size=64, verbose=0)
        return model

    return build


_c4_gap = _c4(
    lambda L: [
        L.Embedding(5000, 16),
        L.GlobalAveragePooling1D(),
        L.Dense(24, activation="relu"),
        L.Dense(1, activation="sigmoid"),
    ],
    epochs=3,
)
_c4_gap_masked = _c4(
    lambda L: [
        L.Embedding(5000, 16, mask_zero=True),
        L.GlobalAveragePooling1D(),
        L.Dense(1, activation="sigmoid"),
    ],
    epochs=2,
)
_c4_bilstm = _c4(
    lambda L: [
        L.Embedding(5000, 16, mask_zero=True),
        L.Bidirectional(L.LSTM(16)),
        L.Dense(1, activation="sigmoid"),
    ],
    epochs=1,
)
_c4_gru = _c4(
    lambda L: [
        L.Embedding(5000, 16, mask_zero=True),
        L.Bidirectional(L.GRU(8, return_sequences=True)),  # reset_after=True, Keras' default
        L.GRU(8, reset_after=False),
        L.Dense(1, activation="sigmoid"),
    ],
    epochs=1,
)
_c4_conv = _c4(
    lambda L: [
        L.Embedding(5000, 16),
        L.Conv1D(16, 5, activation="relu"),
        L.GlobalMaxPooling1D(),
        L.Dense(1, activation="sigmoid"),
    ],
    epochs=1,
)


def _c5_weather(kind: str) -> Callable[[Any], Any]:
    def build(keras: Any) -> Any:
        from grader.problems.definition import windows

        L = keras.layers
        x, y = windows(grader.load_training_data("c5-seattle-weather"), 14, 7)
        body = (
            [L.LSTM(32)]
            if kind == "lstm"
            else [L.Conv1D(16, 3, padding="causal", activation="relu"), L.SimpleRNN(16)]
        )
        model = keras.Sequential([keras.Input((14, 4)), *body, L.Dense(28), L.Reshape((7, 4))])
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=3, verbose=0)
        return model

    return build


def _c5_sunspots(kind: str) -> Callable[[Any], Any]:
    def build(keras: Any) -> Any:
        from grader.problems.definition import windows

        L = keras.layers
        x, y = windows(grader.load_training_data("c5-sunspots"), 60, 12)
        if kind == "dense":
            layers = [keras.Input((60,)), L.Dense(64, activation="relu"), L.Dense(12)]
            x = x.reshape(len(x), 60)
        else:
            layers = [
                keras.Input((60, 1)),
                L.Conv1D(32, 3, padding="causal", activation="relu"),
                L.LSTM(32, return_sequences=True),
                L.LSTM(16),
                L.Dense(12),
            ]
            x = x[..., np.newaxis]
        model = keras.Sequential(layers)
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=2, verbose=0)
        return model

    return build


def _c5_household(kind: str) -> Callable[[Any], Any]:
    def build(keras: Any) -> Any:
        from grader.problems.category5 import C5_HOUSEHOLD, exam_normalise
        from grader.problems.definition import windows

        L = keras.layers
        c = C5_HOUSEHOLD
        data = exam_normalise(grader.load_training_data("c5-household-power"))
        x, y = windows(data[: c["SPLIT_TIME"]], c["N_PAST"], c["N_FUTURE"])
        inputs = keras.Input((c["N_PAST"], c["N_FEATURES"]))
        if kind == "lstm":
            hidden = L.Dense(c["N_FUTURE"] * c["N_FEATURES"])(L.LSTM(16)(inputs))
            outputs = L.Reshape((c["N_FUTURE"], c["N_FEATURES"]))(hidden)
        else:  # the last minute carried forward plus a learnt change
            latest = L.Flatten()(L.Cropping1D((c["N_PAST"] - 1, 0))(inputs))
            carried = L.RepeatVector(c["N_FUTURE"])(latest)
            change = L.Dense(c["N_FUTURE"] * c["N_FEATURES"], kernel_initializer="zeros")(
                L.Flatten()(inputs)
            )
            change = L.Reshape((c["N_FUTURE"], c["N_FEATURES"]))(change)
            outputs = L.Add()([carried, change])
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mean_absolute_error")
        model.fit(x[::20], y[::20], epochs=1, batch_size=64, verbose=0)
        return model

    return build


def _c5_diesel(keras: Any) -> Any:
    """The exam's weekly diesel starter's shape: 10 weeks in, 10 weeks out, one series."""
    from grader.problems.category5_testers import exam_normalise
    from grader.problems.definition import windows

    L = keras.layers
    c = grader.PROBLEMS["c5-diesel-prices"].constants
    data = exam_normalise(grader.load_training_data("c5-diesel-prices")).reshape(-1, 1)
    x, y = windows(data[: c["SPLIT_TIME"]], c["N_PAST"], c["N_FUTURE"])
    model = keras.Sequential(
        [
            keras.Input((c["N_PAST"], 1)),
            L.Conv1D(8, 3, padding="causal", activation="relu"),
            L.LSTM(8, return_sequences=True),
            L.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mae")
    model.fit(x, y, epochs=2, verbose=0)
    return model


COURSE: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("c1-basic-regression", "dense"): _c1_dense,
    ("c2-fashion-mnist", "dense"): _c2_dense,
    ("c2-fashion-mnist", "cnn"): _c2_cnn,
    ("c3-clipart", "cnn"): _c3_cnn,
    ("c4-rotten-tomatoes", "embedding-gap"): _c4_gap,
    ("c4-rotten-tomatoes", "masked-gap"): _c4_gap_masked,
    ("c4-rotten-tomatoes", "bi-lstm"): _c4_bilstm,
    ("c4-rotten-tomatoes", "gru"): _c4_gru,
    ("c4-rotten-tomatoes", "conv1d"): _c4_conv,
    ("c5-seattle-weather", "lstm"): _c5_weather("lstm"),
    ("c5-seattle-weather", "conv1d-rnn"): _c5_weather("conv"),
    ("c5-sunspots", "dense"): _c5_sunspots("dense"),
    ("c5-sunspots", "conv1d-lstm"): _c5_sunspots("conv"),
    ("c5-household-power", "lstm"): _c5_household("lstm"),
    ("c5-household-power", "carried"): _c5_household("carried"),
    ("c5-diesel-prices", "conv1d-lstm"): _c5_diesel,
}


def text_model(keras: Any, length: int) -> Any:
    """The course's Embedding, Flatten, Dense model for c4-rotten-tomatoes, built for
    `length` words (untrained: what is checked is its input, before any prediction)."""
    layers = keras.layers
    vocabulary = grader.get_problem("c4-rotten-tomatoes").constants["VOCAB_SIZE"]
    model = keras.Sequential(
        [
            keras.Input(shape=(length,)),
            layers.Embedding(vocabulary, 8),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model
