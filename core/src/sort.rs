//! One small stable sort for everything the dashboard sorts.
//!
//! The standard library's sorts are excellent but each call site instantiates a fresh copy of a
//! large algorithm; in WebAssembly that added tens of kilobytes. Here the algorithm (a bottom-up
//! merge sort on indices) is compiled once, and each call site only adds a tiny shim.

use std::cmp::Ordering;

/// The stable sorted order of `n` items compared by index.
pub fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = vec![0usize; n];
    let mut width = 1;
    while width < n {
        let mut i = 0;
        while i < n {
            let (mid, end) = ((i + width).min(n), (i + 2 * width).min(n));
            let (mut l, mut r, mut k) = (i, mid, i);
            while l < mid && r < end {
                if cmp(a[r], a[l]) == Ordering::Less {
                    b[k] = a[r];
                    r += 1;
                } else {
                    b[k] = a[l];
                    l += 1;
                }
                k += 1;
            }
            b[k..k + (mid - l)].copy_from_slice(&a[l..mid]);
            k += mid - l;
            b[k..k + (end - r)].copy_from_slice(&a[r..end]);
            i += 2 * width;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Sorts a vector stably by a comparator.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let idx = order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut items: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(idx.into_iter().filter_map(|i| items[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        let mut v = vec![
            (3, 'a'),
            (1, 'b'),
            (3, 'c'),
            (2, 'd'),
            (1, 'e'),
            (0, 'f'),
            (9, 'g'),
        ];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            v,
            [
                (0, 'f'),
                (1, 'b'),
                (1, 'e'),
                (2, 'd'),
                (3, 'a'),
                (3, 'c'),
                (9, 'g')
            ]
        );
        for n in 0..70 {
            let mut w: Vec<u64> = (0..n).map(|i| (i * 7919 + 13) % 31).collect();
            let mut want = w.clone();
            want.sort();
            sort_by(&mut w, |a, b| a.cmp(b));
            assert_eq!(w, want, "n = {n}");
        }
    }
}
