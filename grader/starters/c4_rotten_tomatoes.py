# ======================================================================
# Category 4: NLP text classification (problem c4-rotten-tomatoes)
#
# Build a classifier for Rotten Tomatoes review snippets: 1 = fresh,
# 0 = rotten. The text is encoded as the exam did with Keras' Tokenizer
# (a word index of the VOCAB_SIZE most frequent words, "<OOV>" for the
# rest, padded to MAX_LENGTH). Keras 3 has no Tokenizer, so the starter
# uses grader.TextEncoder, which does the same deterministically. The
# grader encodes the held-out reviews with exactly these settings.
#
# Contract: input shape (None, MAX_LENGTH) of integer word ids, output
# shape (None, 1) with a sigmoid. Do not use Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c4-rotten-tomatoes
# ======================================================================
import numpy as np
import tensorflow as tf

from grader import TextEncoder, load_training_data

# ---- DO NOT CHANGE ---------------------------------------------------
VOCAB_SIZE = 5000
EMBEDDING_DIM = 16
MAX_LENGTH = 32
TRUNC_TYPE = "post"
PADDING_TYPE = "post"
OOV_TOKEN = "<OOV>"
TRAINING_SIZE = 9000


def load_data():
    sentences, labels = load_training_data("c4-rotten-tomatoes")
    training_sentences = sentences[:TRAINING_SIZE]
    validation_sentences = sentences[TRAINING_SIZE:]
    training_labels = np.array(labels[:TRAINING_SIZE])
    validation_labels = np.array(labels[TRAINING_SIZE:])

    encoder = TextEncoder.fit(training_sentences, VOCAB_SIZE, OOV_TOKEN)
    training_padded = encoder.encode(training_sentences, MAX_LENGTH, PADDING_TYPE, TRUNC_TYPE)
    validation_padded = encoder.encode(validation_sentences, MAX_LENGTH, PADDING_TYPE, TRUNC_TYPE)
    return (training_padded, training_labels), (validation_padded, validation_labels)


# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    (training_padded, training_labels), (validation_padded, validation_labels) = load_data()

    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(MAX_LENGTH,)),
            # YOUR CODE HERE
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    # YOUR CODE HERE: compile and fit the model
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
