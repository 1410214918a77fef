using CodeGenLstm;

namespace Sentiment;

// Two sentence classifiers that differ in one word: bidirectional. Both read word ids through an
// embedding and a GRU of 64 units; a Dense layer gives positive/negative logits at every word, and the
// sentence's logits are their mean over its words (Program.cs, Pooling). Each word's vote is made with
// the context its GRU saw: the words to its left, or for the bidirectional GRU the words on both sides,
// so "not" can vote knowing that "good" follows.

/// <summary>Reads the sentence left to right only.</summary>
[Embedding(vocabularySize: 4096, dimension: 64)]
[Gru(hiddenSize: 64)]
[Dense(outputSize: 2)]
[Training(SequenceLength = 48, Optimizer = Optimizer.Adam, LearningRate = 3e-3f, ClipNorm = 5f)]
public partial class UniGru;

/// <summary>Reads it both ways: every word is seen with its left and its right context.</summary>
[Embedding(vocabularySize: 4096, dimension: 64)]
[Gru(hiddenSize: 64, bidirectional: true)]
[Dense(outputSize: 2)]
[Training(SequenceLength = 48, Optimizer = Optimizer.Adam, LearningRate = 3e-3f, ClipNorm = 5f)]
public partial class BiGru;
