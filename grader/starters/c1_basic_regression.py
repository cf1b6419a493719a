# ======================================================================
# Category 1: basic model (problem c1-basic-regression)
#
# Given the numbers below, build and train a neural network that learns
# the relation between xs and ys, and predicts well for inputs it has
# never seen (the grader asks it about values from -20 to 20).
#
# Contract: input shape (None, 1), output shape (None, 1), float values.
# Do not use Lambda layers: the grading infrastructure refuses them.
# Grade it with: tfcert grade mymodel.h5 --problem c1-basic-regression
# ======================================================================
import numpy as np
import tensorflow as tf

# ---- DO NOT CHANGE ---------------------------------------------------
XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float32)
YS = np.array([-2.0, 1.0, 4.0, 7.0, 10.0, 13.0, 16.0], dtype=np.float32)
# ---- END OF DO NOT CHANGE --------------------------------------------


def solution_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(1,)),
            # YOUR CODE HERE
        ]
    )
    # YOUR CODE HERE: compile and fit the model on XS and YS
    return model


# The code below saves your model as mymodel.h5, the file that is graded.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.h5")
