"""Model definitions of DiviML's model zoo (shared by export_zoo.py,
reference_flops.py and profile_cpu.py).

Every model is built with random weights (torchvision weights=None; nothing is
downloaded) and deterministic seeds. Run with /usr/bin/python3 (Debian's
python3-torch 1.13 / python3-torchvision 0.14).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

SEQ = 128  # sequence length of the transformer models


class MatMul(nn.Module):
    """torch.matmul as a module, so forward hooks (reference_flops.py) see it."""

    def forward(self, a, b):
        return torch.matmul(a, b)


class SelfAttention(nn.Module):
    """Multi-head self-attention from explicit Linear / MatMul / Softmax."""

    def __init__(self, hidden, heads, causal=False, seq=SEQ):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, hidden)
        self.scores = MatMul()
        self.context = MatMul()
        self.causal = causal
        if causal:
            # additive mask: 0 on and below the diagonal, -1e4 above (GPT-2's masked_bias)
            mask = torch.triu(torch.full((seq, seq), -1e4), diagonal=1)
            self.register_buffer("mask", mask.view(1, 1, seq, seq))

    def split(self, x):  # (B, S, H) -> (B, heads, S, head_dim)
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x):
        b, s, h = x.shape
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        att = self.scores(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        if self.causal:
            att = att + self.mask
        att = torch.softmax(att, dim=-1)
        ctx = self.context(att, v).transpose(1, 2).reshape(b, s, h)
        return self.out(ctx)


class BertLayer(nn.Module):
    """Post-LN transformer encoder layer (BERT)."""

    def __init__(self, hidden=768, heads=12, ffn=3072):
        super().__init__()
        self.attention = SelfAttention(hidden, heads)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-12)
        self.ffn_in = nn.Linear(hidden, ffn)
        self.ffn_out = nn.Linear(ffn, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, x):
        x = self.ln1(x + self.attention(x))
        return self.ln2(x + self.ffn_out(F.gelu(self.ffn_in(x))))


class BertBase(nn.Module):
    """BERT-base: embeddings (word + position + token type), 12 encoder layers,
    pooler. Input: input_ids (1, 128) int64. Attention mask omitted (all ones)."""

    def __init__(self, vocab=30522, hidden=768, layers=12, heads=12, ffn=3072, seq=SEQ):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(512, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.ln = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList([BertLayer(hidden, heads, ffn) for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)

    def forward(self, input_ids):
        # positions from the input itself (0..S-1), so the export keeps the Gather
        pos = torch.cumsum(torch.ones_like(input_ids), dim=1) - 1
        x = self.word(input_ids) + self.position(pos) + self.token_type(torch.zeros_like(input_ids))
        x = self.ln(x)
        for layer in self.layers:
            x = layer(x)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return x, pooled


class GPT2Block(nn.Module):
    """Pre-LN causal decoder block (GPT-2)."""

    def __init__(self, hidden=768, heads=12, seq=SEQ):
        super().__init__()
        self.ln1 = nn.LayerNorm(hidden, eps=1e-5)
        self.attention = SelfAttention(hidden, heads, causal=True, seq=seq)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-5)
        self.fc = nn.Linear(hidden, 4 * hidden)
        self.proj = nn.Linear(4 * hidden, hidden)

    def forward(self, x):
        x = x + self.attention(self.ln1(x))
        return x + self.proj(F.gelu(self.fc(self.ln2(x))))


class TiedLMHead(nn.Module):
    """LM head sharing the token embedding's weight (GPT-2). Written as one
    addmm on the (B*S, H) view so the ONNX export is a Gemm(transB=1) reading
    the same initializer as the embedding's Gather (a plain Linear would get
    its transposed weight constant-folded into a second 154 MB initializer).
    The 1-element zero bias only satisfies addmm."""

    def __init__(self, embedding):
        super().__init__()
        self.embedding = embedding
        self.register_buffer("zero", torch.zeros(1))

    def forward(self, x):
        b, s, h = x.shape
        w = self.embedding.weight
        return torch.addmm(self.zero, x.reshape(b * s, h), w.t()).view(b, s, w.shape[0])


class GPT2Small(nn.Module):
    """GPT-2 small: token + position embeddings (Gather), 12 causal decoder
    blocks, final LayerNorm, LM head tied to the token embedding.
    Input: input_ids (1, 128) int64. Output: logits (1, 128, 50257)."""

    def __init__(self, vocab=50257, hidden=768, layers=12, heads=12, seq=SEQ):
        super().__init__()
        self.wte = nn.Embedding(vocab, hidden)
        self.wpe = nn.Embedding(1024, hidden)
        self.blocks = nn.ModuleList([GPT2Block(hidden, heads, seq) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(hidden, eps=1e-5)
        self.lm_head = TiedLMHead(self.wte)

    def forward(self, input_ids):
        pos = torch.cumsum(torch.ones_like(input_ids), dim=1) - 1
        x = self.wte(input_ids) + self.wpe(pos)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def _tv(name, **kw):
    return lambda: getattr(torchvision.models, name)(weights=None, **kw)


# name -> (constructor, input shape, input dtype, description)
MODELS = {
    "resnet18": (_tv("resnet18"), (1, 3, 224, 224), torch.float32, "torchvision resnet18"),
    "resnet50": (_tv("resnet50"), (1, 3, 224, 224), torch.float32, "torchvision resnet50"),
    "inception_v3": (_tv("inception_v3", aux_logits=False, init_weights=False),
                     (1, 3, 299, 299), torch.float32, "torchvision inception_v3, aux_logits off"),
    "googlenet": (_tv("googlenet", aux_logits=False, init_weights=False),
                  (1, 3, 224, 224), torch.float32, "torchvision googlenet, aux_logits off"),
    "densenet121": (_tv("densenet121"), (1, 3, 224, 224), torch.float32, "torchvision densenet121"),
    "mobilenet_v2": (_tv("mobilenet_v2"), (1, 3, 224, 224), torch.float32, "torchvision mobilenet_v2"),
    "vgg16": (_tv("vgg16"), (1, 3, 224, 224), torch.float32, "torchvision vgg16"),
    "squeezenet1_1": (_tv("squeezenet1_1"), (1, 3, 224, 224), torch.float32, "torchvision squeezenet1_1"),
    "bert_base": (BertBase, (1, SEQ), torch.int64,
                  "BERT-base encoder: 12 layers, hidden 768, 12 heads, FFN 3072, seq 128"),
    "gpt2_small": (GPT2Small, (1, SEQ), torch.int64,
                   "GPT-2 small decoder: 12 layers, hidden 768, 12 heads, seq 128, causal, tied LM head"),
}

INPUT_NAMES = {"bert_base": ["input_ids"], "gpt2_small": ["input_ids"]}
OUTPUT_NAMES = {"bert_base": ["last_hidden_state", "pooled"], "gpt2_small": ["logits"]}
VOCAB = {"bert_base": 30522, "gpt2_small": 50257}


def build(name, seed=0):
    """The model in eval mode with deterministic random weights, and an example input."""
    ctor, shape, dtype, _ = MODELS[name]
    torch.manual_seed(seed)
    model = ctor().eval()
    g = torch.Generator().manual_seed(seed + 1)
    if dtype == torch.int64:
        x = torch.randint(0, VOCAB[name], shape, generator=g, dtype=torch.int64)
    else:
        x = torch.randn(shape, generator=g)
    return model, x
