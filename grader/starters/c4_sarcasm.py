# ======================================================================
# Category 4: NLP text classification (problem c4-sarcasm)
#
# The exam's own category 4 problem: is a news headline sarcastic
# (1) or not (0)? The data is the exam's sarcasm.json, one JSON array of
# {"article_link", "headline", "is_sarcastic"} records (5.6 MB; its
# author states no licence, so tfcert does not ship it). It is
# downloaded once, from the exam's URL, the first time load_data() runs
# (or with `tfcert data prepare sarcasm`). No checksum is published for
# it, so tfcert checks every record before using it.
#
# The text is encoded as the exam did with Keras' Tokenizer; Keras 3 has
# no Tokenizer, so the starter uses grader.TextEncoder, which does the
# same deterministically. The first TRAINING_SIZE headlines are yours to
# train on; the grader scores the rest of the file, encoded with exactly
# these settings. (The exam's starter used the rest as validation data;
# here it is held out, so keep part of your training data for validation.)
#
# Contract: input shape (None, MAX_LENGTH) of integer word ids, output
# shape (None, 1) with a sigmoid: keep the last layer. No Lambda layers.
# Grade it with: tfcert grade mymodel.h5 --problem c4-sarcasm
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
TRAINING_SIZE = 20000


def load_data():
    sentences, labels = load_training_data("c4-sarcasm")  # the first TRAINING_SIZE records
    training_sentences = sentences[:TRAINING_SIZE]
    training_labels = np.array(labels[:TRAINING_SIZE])

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
