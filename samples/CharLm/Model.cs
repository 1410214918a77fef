using CodeGenLstm;

namespace CharLm;

/// <summary>
/// The character model: 96 characters (printable ASCII and the newline) in, an embedding of 64, two
/// stacked LSTM layers of 128 units, logits over the 96 characters at every step. char-rnn's recipe,
/// sized for a CPU: Adam, gradient norm clipped at 5, forget bias 1, truncated backpropagation through
/// time over 64 characters with the state carried from chunk to chunk.
/// </summary>
[Embedding(vocabularySize: 96, dimension: 64)]
[Lstm(hiddenSize: 128, layers: 2)]
[Dense(outputSize: 96)]
[Training(SequenceLength = 64, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, ClipNorm = 5f)]
public partial class CharModel;
