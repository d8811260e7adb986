// A small New Keynesian model written the way published .mod files are: macro switches, LaTeX and
// long names, a model-local variable, steady_state(), a steady_state_model block that reassigns a value,
// a MATLAB string, and MATLAB code after stoch_simul. Notation after Galí (2015), ch. 3.
@#define taylor = 1
@#ifndef lags
  @#define lags = 2
@#endif

var y_gap ${\tilde y}$ (long_name='output gap (log deviation)')
    pi ${\pi}$ (long_name='inflation (quarterly)')
    i_nom ${i}$ (long_name='nominal rate')
    a ${a}$ (long_name='technology, an AR(1)')
    y (long_name='output')
    yhat (long_name='output, log deviation from steady_state(y)')
    r_real;
@#for k in 1:lags
var pi_lag@{k} (long_name='inflation @{k} quarter(s) ago');
@#endfor
varexo eps_a (long_name='technology shock') eps_i;
PARAMETERS betta sigma kappa phi_pi phi_y rho_a ybar;

betta = 0.99;
sigma = 1;
kappa = 0.1;
@#if taylor == 1
phi_pi = 1.5;
phi_y = 0.125;
@#else
phi_pi = 2;
phi_y = 0;
@#endif
rho_a = 0.9;
ybar = 2;
title_string = 'NK model (features)'

model;
# r_nat = sigma*(rho_a - 1)*a;
y_gap = y_gap(+1) - 1/sigma*(i_nom - pi(+1) - r_nat);
pi = betta*pi(+1) + kappa*y_gap;
i_nom = phi_pi*pi + phi_y*y_gap + eps_i;
a = rho_a*a(-1) + eps_a;
y = ybar*exp(y_gap + a);
yhat = log(y) - log(steady_state(y));
r_real = i_nom - pi(+1);
pi_lag1 = pi(-1);
@#for k in 2:lags
pi_lag@{k} = pi_lag@{k-1}(-1);
@#endfor
end;

steady_state_model;
  y_gap = 0; pi = 0; i_nom = 0; a = 0; r_real = 0;
  y = ybar;
  y = y*exp(a);   // reassigned: the earlier value of y is used on the right
  yhat = 0;
@#for k in 1:lags
  pi_lag@{k} = 0;
@#endfor
end;

shocks(overwrite);
var eps_a; stderr 0.01;
var eps_i = 0.0025^2;
end;

steady;
check;
stoch_simul(order=1, irf=12, ar=3, TeX, nograph) y_gap pi i_nom y yhat pi_lag2;
disp('MATLAB code after stoch_simul: geo-sym does not read it')
x = 1
