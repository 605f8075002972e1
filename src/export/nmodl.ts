/**
 * NEURON mechanisms that run Spikescope's own update, step for step (written into an exported
 * script, compiled by nrnivmodl on its first run). Both are ARTIFICIAL_CELLs driven by a self-event
 * at the end of every step: the event at t = (k+1)·h computes step k, with the input current the
 * script played into `i` during the step (at k·h + h/4), so a spike's time is the end of its step,
 * as in Spikescope. Synaptic events arrive half a step after the spike (delay h/2, between two step
 * events) and are folded into the next step exactly as the engine folds them (docs/scale-out.md).
 *
 * The membrane potential is `vm` (in NMODL, `v` is the membrane's). Each cell also takes the script's restarts (`epoch` changes: back to the restart state before the
 * step) and may start from a recorded state (the *start values).
 */

/** src/core/models/lif.ts and lif-network.ts: forward Euler or the exact update, refractory steps, the alpha filter x → y. */
export const LIF_MECHANISM = String.raw`: Spikescope's LIF neuron with its alpha synapse filter (src/core/models/lif.ts, lif-network.ts),
: advanced by the engine's own update at the end of every step of h ms.
NEURON {
  ARTIFICIAL_CELL SpikescopeLIF
  RANGE rm, cm, vthreshold, vreset, tauref, taupsc, h, exact, v0, i, epoch
  RANGE vstart, xstart, ystart, refstepsstart, refmsstart
  RANGE vm, x, y, refsteps, refms
}
PARAMETER {
  rm = 1  cm = 10  vthreshold = 1  vreset = 0  tauref = 4  taupsc = 5  h = 0.125  exact = 0  v0 = 0
  vstart = 0  xstart = 0  ystart = 0  refstepsstart = 0  refmsstart = 0
}
ASSIGNED { i epoch vm x y refsteps refms lastepoch }
INITIAL {
  vm = vstart  x = xstart  y = ystart  refsteps = refstepsstart  refms = refmsstart
  lastepoch = epoch
  net_send(h, 1)
}
NET_RECEIVE (w) {
  LOCAL tau, current, vnew, decay, vinf, left, vi, refr, vend, crossing, done, pass
  if (flag == 1) {
    if (epoch != lastepoch) {
      : a restart: the initial state, before this step
      lastepoch = epoch
      vm = v0  x = 0  y = 0  refsteps = 0  refms = 0
    }
    tau = rm*cm
    current = i + y
    if (exact == 0) {
      if (refsteps > 0) {
        refsteps = refsteps - 1
        vm = vreset
      } else {
        vnew = vm + ((-vm + current*rm)/tau)*h
        if (vnew >= vthreshold) {
          net_event(t)
          vm = vreset
          refsteps = floor(tauref/h + 0.5)
        } else {
          vm = vnew
        }
      }
    } else {
      : the exact update: exponential relaxation towards current*rm, crossings solved in the step
      vinf = current*rm
      left = h
      vi = vm
      refr = refms
      done = 0
      pass = 0
      while (done == 0 && pass < 16) {
        pass = pass + 1
        if (refr >= left) {
          refr = refr - left
          vi = vreset
          done = 1
        } else {
          if (refr > 0) {
            left = left - refr
            refr = 0
            vi = vreset
          }
          vend = vinf + (vi - vinf)*exp(-left/tau)
          if (vend < vthreshold) {
            vi = vend
            done = 1
          } else {
            crossing = 0
            if (vi < vthreshold) {
              crossing = tau*log((vi - vinf)/(vthreshold - vinf))
            }
            net_event(t)
            left = left - crossing
            vi = vreset
            refr = tauref
          }
        }
      }
      vm = vi
      refms = refr
    }
    decay = exp(-h/taupsc)
    y = (y + h*x)*decay
    x = x*decay
    net_send(h, 1)
  } else {
    : a presynaptic spike of the last step: its weight joins the rising filter
    x = x + w
  }
}
`;

/**
 * src/core/models/izhikevich.ts (the generalised constants of the 20 presets) and the neurons of
 * izhikevich-2003.ts: synaptic kicks and thalamic noise z, redrawn every `holdsteps` steps from a
 * counter-based generator keyed by (seed, neuron, draw) — SplitMix64's finaliser, plain C, no NEURON
 * API (Debian's NEURON 8.2 exports its Random123 functions with C++ names only) — so the noise is the
 * same whatever the number of MPI processes.
 */
export const IZHIKEVICH_MECHANISM = String.raw`: Spikescope's Izhikevich neuron (src/core/models/izhikevich.ts, izhikevich-2003.ts), advanced by the
: engine's own forward Euler at the end of every step of h ms: v from the old v and u, u from the NEW v.
NEURON {
  ARTIFICIAL_CELL SpikescopeIzhikevich
  RANGE a, b, c, d, k2, k1, k0, uvoffset, uleak, vpeak, inclusive, paper, h, v0, u0, i, epoch
  RANGE noise, sigma, holdsteps, seed, neuron
  RANGE vstart, ustart, zstart, kickstart, holdleftstart
  RANGE vm, u, z, kick, holdleft, draws
}
VERBATIM
#include <math.h>
#include <stdint.h>
/* SplitMix64's finaliser (Steele, Lea & Flood 2014): a counter-based generator when fed distinct keys. */
/* (Names in VERBATIM C must not be those of the mechanism's variables, which are macros: no z, u, h, i...) */
static uint64_t spikescope_mix(uint64_t bits) {
  bits += 0x9E3779B97F4A7C15ull;
  bits = (bits ^ (bits >> 30)) * 0xBF58476D1CE4E5B9ull;
  bits = (bits ^ (bits >> 27)) * 0x94D049BB133111EBull;
  return bits ^ (bits >> 31);
}
ENDVERBATIM
PARAMETER {
  a = 0.02  b = 0.2  c = -65  d = 6  k2 = 0.04  k1 = 5  k0 = 140  uvoffset = 0  uleak = 1  vpeak = 30
  inclusive = 0  paper = 0  h = 0.25  v0 = -70  u0 = -14
  noise = 0  sigma = 0  holdsteps = 1  seed = 1  neuron = 0
  vstart = -70  ustart = -14  zstart = 0  kickstart = 0  holdleftstart = 0
}
ASSIGNED { i epoch vm u z kick holdleft draws lastepoch }
INITIAL {
  vm = vstart  u = ustart  z = zstart  kick = kickstart  holdleft = holdleftstart  draws = 0
  lastepoch = epoch
  net_send(h, 1)
}
FUNCTION normal(key1, key2, draw) {
VERBATIM
  /* A standard normal deviate by Box-Muller from two uniforms hashed from (key1, key2, draw) = (seed, neuron, draw): the
     same for a neuron whatever process holds it. */
  uint64_t key = spikescope_mix(((uint64_t) (uint32_t) _lkey1 << 32) | (uint32_t) _lkey2);
  uint64_t r1 = spikescope_mix(key + (uint64_t) _ldraw * 0xD1B54A32D192ED03ull);
  uint64_t r2 = spikescope_mix(r1);
  double u1 = ((double) (r1 >> 11) + 0.5) / 9007199254740992.0;
  double u2 = (double) (r2 >> 11) / 9007199254740992.0;
  _lnormal = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
ENDVERBATIM
}
NET_RECEIVE (w) {
  LOCAL vnew, unew, input, half
  if (flag == 1) {
    if (epoch != lastepoch) {
      : a restart: the initial state and the noise from its first draw, before this step
      lastepoch = epoch
      vm = v0  u = u0  kick = 0  holdleft = 0  draws = 0
    }
    if (noise > 0) {
      if (holdleft <= 0) {
        z = normal(seed, neuron, draws)
        draws = draws + 1
        holdleft = holdsteps
      }
      holdleft = holdleft - 1
    }
    if (paper) {
      : stepping 'paper' (h = 1 ms): v by two half steps with one input, the kicks in it; u by one step
      input = sigma*z + i + kick
      half = vm + 0.5*(0.04*(vm*vm) + 5*vm + 140 - u + input)
      vnew = half + 0.5*(0.04*(half*half) + 5*half + 140 - u + input)
      unew = u + a*(b*vnew - u)
    } else {
      vnew = vm + h*(k2*(vm*vm) + k1*vm + k0 - u + i + sigma*z) + kick
      unew = u + h*(a*(b*(vnew - uvoffset) - uleak*u))
    }
    kick = 0
    if (vnew > vpeak || (inclusive && vnew == vpeak)) {
      net_event(t)
      vm = c
      u = unew + d
    } else {
      vm = vnew
      u = unew
    }
    net_send(h, 1)
  } else {
    : a presynaptic spike of the last step: its weight moves v in this step's update
    kick = kick + w
  }
}
`;
