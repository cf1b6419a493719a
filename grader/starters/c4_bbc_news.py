# ======================================================================
# Category 4: NLP text classification (problem c4-bbc-news)
#
# Build a classifier for the topic of a BBC news article: sport,
# business, politics, tech or entertainment. The data is the course's
# bbc-text.csv (2,225 articles; non-commercial research use only, so
# tfcert does not ship it): `tfcert data prepare bbc-news` fetches it
# from its origin and verifies it.
#
# As in the practice exam's starter, the first TRAINING_PORTION of the
# file is yours to train on (no shuffling) and the rest is scored, and
# the topics are numbered as a Keras Tokenizer fitted on them numbers
# them: from 1 (sport) to 5, so the last layer has 6 outputs. Keras 3
# has no Tokenizer: the starter uses grader.TextEncoder, which encodes
# the text the same way, deterministically. The grader scores the held-
# out articles encoded with exactly these settings, so keep part of your
# training data for validation.
#
# Contract: input shape (None, MAX_LENGTH) of integer word ids, output
# shape (None, 6) with a softmax: keep the last layer. No Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c4-bbc-news
# ======================================================================
import numpy as np
import tensorflow as tf

from grader import TextEncoder, load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
VOCAB_SIZE = 1000
EMBEDDING_DIM = 16
MAX_LENGTH = 120
TRUNC_TYPE = "post"
PADDING_TYPE = "post"
OOV_TOKEN = "<OOV>"
TRAINING_PORTION = 0.8


def load_data():
    # The first TRAINING_PORTION of the articles, and their topic ids (1 to 5).
    training_sentences, training_labels = load_training_data("c4-bbc-news")
    training_labels = np.array(training_labels)

    encoder = TextEncoder.fit(training_sentences, VOCAB_SIZE, OOV_TOKEN)
    training_padded = encoder.encode(training_sentences, MAX_LENGTH, PADDING_TYPE, TRUNC_TYPE)
    return training_padded, training_labels


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    training_padded, training_labels = load_data()

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(MAX_LENGTH,)),
            # YOUR CODE HERE: start with an Embedding(VOCAB_SIZE, EMBEDDING_DIM)
            # This is the last layer: keep it (6 outputs, topic ids start at 1).
            tf.keras.layers.Dense(6, activation="softmax"),
        ]
    )
    # YOUR CODE HERE: compile (sparse_categorical_crossentropy) and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
