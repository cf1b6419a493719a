# ======================================================================
# Category 4: NLP text classification (problem c4-imdb)
#
# Build a classifier for IMDB movie reviews: 1 = positive, 0 = negative.
# The data is the Large Movie Review Dataset that the course loaded with
# tensorflow_datasets (imdb_reviews): 25,000 training and 25,000 test
# reviews. tfcert does not ship it: `tfcert data prepare imdb-reviews`
# fetches the 84 MB archive from its origin and checks its published
# SHA-256.
#
# The text is encoded as the course did with Keras' Tokenizer, fitted on
# the training reviews; pad_sequences pads at the start (its default)
# and cuts at the end. Keras 3 has no Tokenizer: the starter uses
# grader.TextEncoder, which does the same deterministically. The grader
# scores the 25,000 test reviews, encoded with exactly these settings,
# so keep part of the training reviews for validation.
#
# Contract: input shape (None, MAX_LENGTH) of integer word ids, output
# shape (None, 1) with a sigmoid: keep the last layer. No Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c4-imdb
# ======================================================================
import numpy as np
import tensorflow as tf

from grader import TextEncoder, load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
VOCAB_SIZE = 10000
EMBEDDING_DIM = 16
MAX_LENGTH = 120
TRUNC_TYPE = "post"
PADDING_TYPE = "pre"
OOV_TOKEN = "<OOV>"


def load_data():
    training_sentences, training_labels = load_training_data("c4-imdb")
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
            # This is the last layer: keep it.
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
