# The neuron models: each is codelets/models/<name>.hpp (the interface: neuron_model.hpp). This
# list generates the registry's table, the codelets' dispatch, the batched GPU step's kernels and
# the typed tests; one line per model.
set(STARLING_NEURON_MODELS
  iaf_psc_exp
  iaf_cond_exp
  iaf_cond_alpha
  iaf_cond_beta
  hh_psc_alpha
  parrot_neuron
  iaf_psc_alpha
  iaf_psc_delta
  izhikevich
  iaf_psc_exp_multisynapse
  iaf_psc_alpha_multisynapse
  aeif_cond_alpha
  aeif_cond_exp
  aeif_cond_beta_multisynapse
  aeif_psc_exp
  aeif_psc_alpha
  aeif_psc_delta
)
