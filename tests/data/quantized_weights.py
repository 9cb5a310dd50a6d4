"""Weights replaced after the model is built: ``quantize("int8")`` of a layer or of a whole model swaps a Dense's
float kernel for an int8 one with its scales (more parameters, fewer bytes). kerascount does not follow the
quantized weights: the quantized models' counts are unknown, never the float ones; a model quantize does not
reach stays exact."""
import keras
from keras import layers

hidden = layers.Dense(20, activation="relu")
one_layer = keras.Sequential([keras.Input((3,)), hidden, layers.Dense(1)])
hidden.quantize("int8")

whole = keras.Sequential([keras.Input((3,)), layers.Dense(20), layers.Dense(1)])
whole.quantize("int8")

by_index = keras.Sequential([keras.Input((6,)), layers.Dense(8), layers.Dense(2)])
by_index.layers[0].quantize("int8")

untouched = keras.Sequential([keras.Input((3,)), layers.Dense(20), layers.Dense(1)])
