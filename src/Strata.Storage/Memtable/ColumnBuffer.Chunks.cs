using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Strata.Core;

namespace Strata.Storage.Memtable;

/// <content>Where a column's entries live: <see cref="Chunks"/>.</content>
internal sealed partial class ColumnBuffer
{
    /// <summary>
    /// Entry i lives in chunk i / <see cref="ChunkEntries"/> at i % <see cref="ChunkEntries"/>. Every chunk is a
    /// <see cref="ChunkArena"/> slot (times, then sequence numbers, then payloads, <see cref="ChunkEntries"/> × 8
    /// bytes each, then types) except a small column's first: managed arrays that grow by doubling up to
    /// <see cref="ManagedEntries"/> entries, so a memtable of many one-point series stays small.
    /// </summary>
    private sealed unsafe class Chunks(ChunkArena arena)
    {
        /// <summary>Entries chunk 0 holds in managed arrays before it moves into a slot.</summary>
        private const int ManagedEntries = 64;

        private const int SeqsOffset = ChunkEntries * 8;
        private const int BitsOffset = ChunkEntries * 16;
        private const int TypesOffset = ChunkEntries * 24;

        private long[] _times0 = new long[8];
        private long[] _seqs0 = new long[8];
        private long[] _bits0 = new long[8];
        private FieldType[] _types0 = new FieldType[8];

        /// <summary>Slot of chunk c at [c]; [0] is 0 while chunk 0 is the managed arrays.</summary>
        private nint[] _slots = [0];
        private int _chunkCount = 1;
        private string?[][]? _strings;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Time(int i) => TimeRef(i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Seq(int i) => SeqRef(i);

        public FieldValue Value(int i)
        {
            var (c, o) = (i >> ChunkShift, i & ChunkMask);
            return FieldValue.FromRaw(TypeRef(i), BitsRef(i), _strings?[c]?[o]);
        }

        /// <summary>Stores entry <paramref name="i"/>, which must be the next one (entries 0 … i-1 are stored).</summary>
        public void Append(int i, long time, long seq, FieldValue value)
        {
            var (c, o) = (i >> ChunkShift, i & ChunkMask);
            if (c == 0)
            {
                if (_slots[0] == 0 && o == _times0.Length)
                {
                    GrowFirst();
                }
            }
            else if (o == 0)
            {
                AddChunk(c);
            }

            Set(i, time, seq, value);
        }

        public FieldType Type(int i) => TypeRef(i);

        /// <summary>How many of the entries from <paramref name="i"/> up to <paramref name="end"/> lie in <paramref name="i"/>'s chunk.</summary>
        public int PieceLength(int i, int end) => Math.Min(end - i, ChunkEntries - (i & ChunkMask));

        /// <summary>The times of entries i … i+length-1, which lie in one chunk (<see cref="PieceLength"/>).</summary>
        public ReadOnlySpan<long> Times(int i, int length) => MemoryMarshal.CreateReadOnlySpan(ref TimeRef(i), length);

        /// <summary>The sequence numbers of entries i … i+length-1, which lie in one chunk.</summary>
        public ReadOnlySpan<long> Seqs(int i, int length) => MemoryMarshal.CreateReadOnlySpan(ref SeqRef(i), length);

        /// <summary>The values of entries i … i+destination.Length-1, which lie in one chunk, into <paramref name="destination"/>.</summary>
        public void Values(int i, Span<FieldValue> destination)
        {
            var bits = Bits(i, destination.Length);
            var types = Types(i, destination.Length);
            var strings = _strings?[i >> ChunkShift];
            for (var k = 0; k < destination.Length; k++)
            {
                destination[k] = FieldValue.FromRaw(types[k], bits[k], strings?[(i & ChunkMask) + k]);
            }
        }

        /// <summary>The raw value bits of entries i … i+length-1, which lie in one chunk.</summary>
        public ReadOnlySpan<long> Bits(int i, int length) => MemoryMarshal.CreateReadOnlySpan(ref BitsRef(i), length);

        /// <summary>The types of entries i … i+length-1, which lie in one chunk.</summary>
        public ReadOnlySpan<FieldType> Types(int i, int length) => MemoryMarshal.CreateReadOnlySpan(ref TypeRef(i), length);

        /// <summary>Overwrites the stored entry <paramref name="i"/> (or fills the slot <see cref="Append"/> made).</summary>
        public void Set(int i, long time, long seq, FieldValue value)
        {
            TimeRef(i) = time;
            SeqRef(i) = seq;
            BitsRef(i) = value.RawBits;
            TypeRef(i) = value.Type;
            var (c, o) = (i >> ChunkShift, i & ChunkMask);
            if (value.Type == FieldType.String)
            {
                _strings ??= new string?[_slots.Length][];
                _strings[c] ??= new string?[Capacity(c)];
                _strings[c][o] = value.AsString;
            }
            else if (_strings?[c] is { } strings)
            {
                strings[o] = null;
            }
        }

        /// <summary>Copies the stored entry <paramref name="from"/> over the stored entry <paramref name="to"/>.</summary>
        public void Move(int from, int to)
        {
            TimeRef(to) = TimeRef(from);
            SeqRef(to) = SeqRef(from);
            BitsRef(to) = BitsRef(from);
            TypeRef(to) = TypeRef(from);
            var (c, o) = (from >> ChunkShift, from & ChunkMask);
            var (d, p) = (to >> ChunkShift, to & ChunkMask);
            if (_strings is { } strings && (strings[c] is not null || strings[d] is not null))
            {
                strings[d] ??= new string?[Capacity(d)];
                strings[d]![p] = strings[c]?[o];
            }
        }

        /// <summary>
        /// Moves entries <paramref name="from"/> … <paramref name="count"/> - 1 up by <paramref name="by"/> places (which
        /// must be addressable, <see cref="EnsureEntries"/>), a piece at a time where neither side crosses a chunk.
        /// </summary>
        public void ShiftUp(int from, int count, int by)
        {
            for (var end = count; end > from;)
            {
                var (last, target) = (end - 1, end - 1 + by);
                var length = Math.Min(end - from, Math.Min((last & ChunkMask) + 1, (target & ChunkMask) + 1));
                var (i, j) = (end - length, end - length + by);
                if (_strings is not null)
                {
                    for (var k = length - 1; k >= 0; k--)
                    {
                        Move(i + k, j + k);
                    }
                }
                else
                {
                    MemoryMarshal.CreateReadOnlySpan(ref TimeRef(i), length).CopyTo(MemoryMarshal.CreateSpan(ref TimeRef(j), length));
                    MemoryMarshal.CreateReadOnlySpan(ref SeqRef(i), length).CopyTo(MemoryMarshal.CreateSpan(ref SeqRef(j), length));
                    MemoryMarshal.CreateReadOnlySpan(ref BitsRef(i), length).CopyTo(MemoryMarshal.CreateSpan(ref BitsRef(j), length));
                    MemoryMarshal.CreateReadOnlySpan(ref TypeRef(i), length).CopyTo(MemoryMarshal.CreateSpan(ref TypeRef(j), length));
                }

                end -= length;
            }
        }

        /// <summary>Makes entries 0 … <paramref name="count"/> - 1 addressable, adding chunks as <see cref="Append"/> would.</summary>
        public void EnsureEntries(int count)
        {
            while ((_slots[0] == 0 ? _times0.Length : _chunkCount * ChunkEntries) < count)
            {
                if (_slots[0] == 0)
                {
                    GrowFirst();
                }
                else
                {
                    AddChunk(_chunkCount);
                }
            }
        }

        /// <summary>
        /// Overwrites entries <paramref name="at"/> onwards, which must be addressable (<see cref="EnsureEntries"/>),
        /// with a run of numeric or boolean values (entry k's value is <paramref name="values"/>[k × <paramref name="stride"/>]).
        /// </summary>
        public void WriteRun(int at, ReadOnlySpan<long> times, ReadOnlySpan<long> seqs, ReadOnlySpan<FieldValue> values, int stride)
        {
            for (var k = 0; k < times.Length;)
            {
                var i = at + k;
                var length = Math.Min(times.Length - k, Capacity(i >> ChunkShift) - (i & ChunkMask));
                times.Slice(k, length).CopyTo(MemoryMarshal.CreateSpan(ref TimeRef(i), length));
                seqs.Slice(k, length).CopyTo(MemoryMarshal.CreateSpan(ref SeqRef(i), length));
                var bits = MemoryMarshal.CreateSpan(ref BitsRef(i), length);
                var types = MemoryMarshal.CreateSpan(ref TypeRef(i), length);
                for (var j = 0; j < length; j++)
                {
                    var value = values[(k + j) * stride];
                    bits[j] = value.RawBits;
                    types[j] = value.Type;
                }

                if (_strings?[i >> ChunkShift] is { } strings)
                {
                    strings.AsSpan(i & ChunkMask, length).Clear();
                }

                k += length;
            }
        }

        /// <summary>Gives the arena slots back (the buffer moved to new chunks, or the entries are gone).</summary>
        public void ReturnSlots()
        {
            for (var c = 0; c < _chunkCount; c++)
            {
                if (_slots[c] != 0)
                {
                    arena.Return(_slots[c]);
                    _slots[c] = 0;
                }
            }

            _chunkCount = 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ref long TimeRef(int i)
        {
            var c = i >> ChunkShift;
            return ref c == 0 && _slots[0] == 0 ? ref _times0[i] : ref *(long*)(Slot(c) + ((i & ChunkMask) * 8));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ref long SeqRef(int i)
        {
            var c = i >> ChunkShift;
            return ref c == 0 && _slots[0] == 0 ? ref _seqs0[i] : ref *(long*)(Slot(c) + SeqsOffset + ((i & ChunkMask) * 8));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ref long BitsRef(int i)
        {
            var c = i >> ChunkShift;
            return ref c == 0 && _slots[0] == 0 ? ref _bits0[i] : ref *(long*)(Slot(c) + BitsOffset + ((i & ChunkMask) * 8));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ref FieldType TypeRef(int i)
        {
            var c = i >> ChunkShift;
            return ref c == 0 && _slots[0] == 0 ? ref _types0[i] : ref *(FieldType*)(Slot(c) + TypesOffset + (i & ChunkMask));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private nint Slot(int c)
        {
            if (c >= _chunkCount)
            {
                ThrowBeyondStored();
            }

            return _slots[c];
        }

        [DoesNotReturn]
        private static void ThrowBeyondStored() => throw new InvalidOperationException("BUG: memtable entry beyond the stored chunks");

        private int Capacity(int c) => c == 0 && _slots[0] == 0 ? _times0.Length : ChunkEntries;

        /// <summary>Doubles the managed chunk 0, or past <see cref="ManagedEntries"/> moves it into a slot.</summary>
        private void GrowFirst()
        {
            var count = _times0.Length;
            if (count < ManagedEntries)
            {
                Array.Resize(ref _times0, count * 2);
                Array.Resize(ref _seqs0, count * 2);
                Array.Resize(ref _bits0, count * 2);
                Array.Resize(ref _types0, count * 2);
                if (_strings is { } grown && grown[0] is not null)
                {
                    Array.Resize(ref grown[0], count * 2);
                }

                return;
            }

            var slot = arena.Rent();
            _times0.AsSpan().CopyTo(new Span<long>((void*)slot, count));
            _seqs0.AsSpan().CopyTo(new Span<long>((void*)(slot + SeqsOffset), count));
            _bits0.AsSpan().CopyTo(new Span<long>((void*)(slot + BitsOffset), count));
            _types0.AsSpan().CopyTo(new Span<FieldType>((void*)(slot + TypesOffset), count));
            _slots[0] = slot;
            _times0 = _seqs0 = _bits0 = [];
            _types0 = [];
            if (_strings is { } strings && strings[0] is not null)
            {
                Array.Resize(ref strings[0], ChunkEntries);
            }
        }

        private void AddChunk(int c)
        {
            if (c == _slots.Length)
            {
                var size = c * 2;
                Array.Resize(ref _slots, size);
                if (_strings is not null)
                {
                    Array.Resize(ref _strings, size);
                }
            }

            _slots[c] = arena.Rent();
            _chunkCount = c + 1;
        }
    }
}
