"""The model-file layer: what a saved model holds, read without running any of it.

`keras2` translates the config of an exam-era file saved by Keras 2 into the config Keras 3
expects, as data, and builds the model from it with Keras' safe mode on; `model_file` reads
a .h5 or .keras file once, with h5py or zipfile (never with Keras), into a `ModelFile`: its
config, Keras version, translation and digest, which inspection, loading and the result
share; `inspection` refuses anything but built-in Keras layers. A file that cannot be graded
is `Rejected`, with one line that says why. Model files are untrusted: nothing here imports
or runs code a file names.
"""
